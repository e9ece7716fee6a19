package dev.bitnet.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Raw edits of a {@code .bit2} file's bytes for the corruption tests: read and patch fields, reseal the header CRC. */
final class Bit2Bytes {

    private Bit2Bytes() {
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static void putU32(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    static void putU64(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    static int headerLength(byte[] b) {
        return (int) u64(b, 16);
    }

    /** Recomputes the header CRC32C (and the file_length field) after an edit, if header_length still fits. */
    static byte[] reseal(byte[] b) {
        return reseal(b, b.length);
    }

    /** Sets file_length to {@code fileLength} and recomputes the header CRC32C, if header_length fits in {@code b}. */
    static byte[] reseal(byte[] b, long fileLength) {
        if (b.length >= 32) {
            putU64(b, 24, fileLength);
        }
        if (b.length < 24) {
            return b;
        }
        long h = u64(b, 16);
        if (h >= 68 && h <= b.length) {
            CRC32C crc = new CRC32C();
            crc.update(b, 0, (int) h - 4);
            putU32(b, (int) h - 4, (int) crc.getValue());
        }
        return b;
    }

    /** Position of the first occurrence of the length-prefixed string {@code s} in the header, after its length. */
    static int string(byte[] b, String s) {
        byte[] p = s.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 4; i + p.length <= headerLength(b); i++) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            if (u32(b, i - 4) == p.length) {
                return i;
            }
        }
        throw new AssertionError("string '" + s + "' not in header");
    }

    /** Position of a directory entry's dtype field (just after its name). */
    static int entry(byte[] b, String tensor) {
        return string(b, tensor) + tensor.getBytes(StandardCharsets.UTF_8).length;
    }
}
