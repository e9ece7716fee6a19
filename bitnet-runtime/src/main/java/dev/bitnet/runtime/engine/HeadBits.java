package dev.bitnet.runtime.engine;

/**
 * Moves bit ranges between a packed d-bit vector and the per-head layout of the attention
 * cache (head h's {@code d_head} bits start on a word boundary, {@code words(d_head)} words per head).
 * When {@code d_head} is a multiple of 64 the two layouts are the same words.
 */
public final class HeadBits {

    private HeadBits() {
    }

    /** Copies {@code n} bits starting at bit {@code bitStart} of {@code src[srcOff..]} to {@code dst[dstOff..]} from bit 0, zero-padded. */
    public static void extract(long[] src, int srcOff, int bitStart, int n, long[] dst, int dstOff) {
        int words = (n + 63) >>> 6;
        int base = srcOff + (bitStart >>> 6);
        int shift = bitStart & 63;
        int srcEnd = srcOff + ((bitStart + n + 63) >>> 6); // one past the last source word holding a bit
        for (int k = 0; k < words; k++) {
            long word = src[base + k] >>> shift;
            if (shift != 0 && base + k + 1 < srcEnd) {
                word |= src[base + k + 1] << (64 - shift);
            }
            dst[dstOff + k] = word;
        }
        int r = n & 63;
        if (r != 0) {
            dst[dstOff + words - 1] &= (1L << r) - 1;
        }
    }

    /** Writes the {@code n} bits of {@code src[srcOff..]} into {@code dst[dstOff..]} at bit {@code bitStart}, leaving other bits alone. */
    public static void insert(long[] src, int srcOff, int n, long[] dst, int dstOff, int bitStart) {
        for (int i = 0; i < n; i++) {
            int b = bitStart + i;
            long bit = src[srcOff + (i >>> 6)] >>> (i & 63) & 1L;
            int w = dstOff + (b >>> 6);
            dst[w] = dst[w] & ~(1L << (b & 63)) | bit << (b & 63);
        }
    }
}
