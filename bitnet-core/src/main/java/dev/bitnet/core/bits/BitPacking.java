package dev.bitnet.core.bits;

/**
 * Packing of ±1 vectors into bits, exactly as {@code MODEL.md} fixes it: +1 is bit 1, -1 is
 * bit 0; value {@code i} is bit {@code i % 64} of word {@code i / 64} (LSB first); padding bits
 * of the last word are 0. Every module packs through this class.
 */
public final class BitPacking {

    private BitPacking() {
    }

    /** Number of 64-bit words that hold {@code n} bits. */
    public static int words(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("bit count must be >= 0, got " + n);
        }
        return (n + 63) >>> 6;
    }

    /** The spec's {@code sign}: +1 for {@code v >= 0} (so -0.0 gives +1), else -1. */
    public static boolean signBit(float v) {
        return v >= 0f;
    }

    /** Mask of the valid bits in the last word of an {@code n}-bit row (all ones when {@code n % 64 == 0}). */
    public static long lastWordMask(int n) {
        int r = n & 63;
        return r == 0 ? -1L : (1L << r) - 1;
    }

    /** Packs the signs of {@code src[srcOff .. srcOff+n)} into {@code dst} starting at word {@code dstOff}. */
    public static void packSigns(float[] src, int srcOff, int n, long[] dst, int dstOff) {
        int w = words(n);
        for (int k = 0; k < w; k++) {
            long word = 0;
            int base = srcOff + (k << 6);
            int end = Math.min(64, n - (k << 6));
            for (int b = 0; b < end; b++) {
                if (src[base + b] >= 0f) {
                    word |= 1L << b;
                }
            }
            dst[dstOff + k] = word;
        }
    }

    /** Packs the signs of a whole vector into a new array of {@code words(v.length)} words. */
    public static long[] packSigns(float[] v) {
        long[] out = new long[words(v.length)];
        packSigns(v, 0, v.length, out, 0);
        return out;
    }

    /**
     * Packs a row-major {@code rows x cols} matrix of signs; each row starts on a word boundary
     * and takes {@code words(cols)} words.
     */
    public static long[] packRows(float[] matrix, int rows, int cols) {
        if ((long) rows * cols != matrix.length) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " values, expected " + rows + " x " + cols);
        }
        int w = words(cols);
        long[] out = new long[Math.multiplyExact(rows, w)];
        for (int r = 0; r < rows; r++) {
            packSigns(matrix, r * cols, cols, out, r * w);
        }
        return out;
    }

    /** Value {@code i} of a packed vector starting at word {@code off}: {@code true} for +1. */
    public static boolean bit(long[] words, int off, int i) {
        return (words[off + (i >>> 6)] >>> (i & 63) & 1L) != 0;
    }

    /** Unpacks {@code n} values starting at word {@code off} to ±1 floats. */
    public static float[] unpack(long[] words, int off, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = bit(words, off, i) ? 1f : -1f;
        }
        return out;
    }
}
