package dev.bitnet.core.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the little-endian fields of a {@code .bit2} header from the mapped file, checking every
 * read against the end of the header first. A count or length is accepted only if the bytes it
 * announces are actually present, so nothing it reads can make the reader allocate more than
 * the file holds. Every failure names the file, the current section and the field.
 */
final class HeaderCursor {

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment data;
    private final long end;
    private long pos;
    private String section;

    /** A cursor over {@code data[start, end)}. */
    HeaderCursor(Path file, MemorySegment data, long start, long end) {
        this.file = file;
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    /** Names the section that following failures are reported in. */
    void section(String name) {
        section = name;
    }

    long position() {
        return pos;
    }

    long remaining() {
        return end - pos;
    }

    /** A failure in the current section at the current position. */
    Bit2FormatException fail(String problem) {
        return new Bit2FormatException(file, section, problem + " (header byte " + pos + ")");
    }

    private void need(String field, long bytes) throws Bit2FormatException {
        if (bytes > end - pos) {
            throw fail(field + ": needs " + bytes + " bytes but only " + (end - pos) + " remain in the header");
        }
    }

    /** An unsigned 32-bit field that must lie in {@code [min, max]}. */
    int u32(String field, long min, long max) throws Bit2FormatException {
        need(field, 4);
        long v = Integer.toUnsignedLong(data.get(U32, pos));
        if (v < min || v > max) {
            throw fail(field + ": must be in [" + min + ", " + max + "], got " + v);
        }
        pos += 4;
        return (int) v;
    }

    /** A raw 32-bit field (a CRC). */
    int bits32(String field) throws Bit2FormatException {
        need(field, 4);
        int v = data.get(U32, pos);
        pos += 4;
        return v;
    }

    /** An unsigned 64-bit field that must lie in {@code [min, max]}. */
    long u64(String field, long min, long max) throws Bit2FormatException {
        need(field, 8);
        long v = data.get(U64, pos);
        if (v < min || v > max) {
            throw fail(field + ": must be in [" + min + ", " + max + "], got " + Long.toUnsignedString(v));
        }
        pos += 8;
        return v;
    }

    /**
     * A count of entries that each take at least {@code minEntryBytes}: bounded by {@code max} and
     * by what the rest of the header can hold.
     */
    int count(String field, int max, int minEntryBytes) throws Bit2FormatException {
        int n = u32(field, 0, max);
        if ((long) n * minEntryBytes > remaining()) {
            throw fail(field + ": " + n + " entries need at least " + (long) n * minEntryBytes
                    + " bytes but only " + remaining() + " remain in the header");
        }
        return n;
    }

    /** A length-prefixed byte string of {@code [minLen, maxLen]} bytes. */
    byte[] bytes(String field, int minLen, int maxLen) throws Bit2FormatException {
        int n = u32(field + " length", minLen, maxLen);
        need(field, n);
        byte[] b = data.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return b;
    }

    /** A length-prefixed, strictly valid UTF-8 string of {@code [minLen, maxLen]} bytes. */
    String string(String field, int minLen, int maxLen) throws Bit2FormatException {
        long at = pos;
        byte[] b = bytes(field, minLen, maxLen);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Bit2FormatException(file, section, field + ": not valid UTF-8 (header byte " + at + ")");
        }
    }
}
