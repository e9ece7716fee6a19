package dev.bitnet.core.format;

/**
 * The constants of the {@code .bit2} layout shared by {@link Bit2File} and {@link Bit2Writer}.
 * {@code docs/bit2-format.md} describes every field; the limits below are the reader's bounds
 * that keep a damaged or hostile file from causing huge allocations.
 */
final class Bit2Format {

    /** {@code "BIT2\r\n\x1a\n"}: the line-ending and EOF bytes catch text-mode transfers. */
    static final byte[] MAGIC = {'B', 'I', 'T', '2', 0x0D, 0x0A, 0x1A, 0x0A};
    /** The version this code writes. */
    static final int FORMAT_VERSION = 1;
    /** The newest {@code min_reader_version} this code can read. */
    static final int READER_VERSION = 1;

    /** Size of the fixed part of the header. */
    static final int FIXED_HEADER = 64;
    static final int OFF_FORMAT_VERSION = 8;
    static final int OFF_MIN_READER_VERSION = 12;
    static final int OFF_HEADER_LENGTH = 16;
    static final int OFF_FILE_LENGTH = 24;
    /** Bytes 32..63 are reserved and must be zero. */
    static final int OFF_RESERVED = 32;
    /** The header ends with the CRC32C of all header bytes before it. */
    static final int HEADER_CRC = 4;
    /** The smallest header: the fixed part, empty sections would still need more, plus the CRC. */
    static final int MIN_HEADER = FIXED_HEADER + HEADER_CRC;
    /** Largest accepted header (a gpt2 tokenizer table is about 0.5 MB). */
    static final long MAX_HEADER = 1L << 30;

    /** Tensor data starts on multiples of this many bytes. */
    static final int ALIGNMENT = 64;

    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_VALUE_BYTES = 1 << 20;
    static final int MAX_TOKEN_BYTES = 1024;
    static final int MAX_COUNT = 1 << 20;
    static final int MAX_RANK = 8;
    static final long MAX_DIM = Integer.MAX_VALUE;

    private Bit2Format() {
    }

    /** {@code n} rounded up to the next multiple of {@link #ALIGNMENT}. */
    static long align(long n) {
        return Math.addExact(n, ALIGNMENT - 1) & -ALIGNMENT;
    }
}
