package dev.bitnet.runtime.engine;

import java.lang.foreign.MemorySegment;

/**
 * A BitLinear layer with ±1 output and a folded threshold: output {@code o} is +1 iff
 * {@code lo[o] <= s <= hi[o]}, where {@code s = in - 2 * mismatches} is the exact product.
 *
 * @param bits     ±1 rows (out, words(in)) in the kernels' layout
 * @param in       input width
 * @param out      output width (rows)
 * @param rowWords 64-bit words per row
 * @param lo       (out) smallest product giving +1, in [-in-1, in+1]
 * @param hi       (out) largest product giving +1, in [-in-1, in+1]
 */
public record BinaryLayer(MemorySegment bits, int in, int out, int rowWords, int[] lo, int[] hi) {

    /**
     * Output bits of rows {@code [rowStart, rowEnd)} from their mismatch counts
     * ({@code mm[mmOff + r]}) into the packed vector at {@code dst[dstOff]}. {@code rowStart} must be
     * a multiple of 64 (so parallel parts never share a word), and the words are overwritten.
     */
    public void outputBits(int[] mm, int mmOff, int rowStart, int rowEnd, long[] dst, int dstOff) {
        for (int wordStart = rowStart; wordStart < rowEnd; wordStart += 64) {
            int end = Math.min(wordStart + 64, rowEnd);
            long word = 0;
            for (int r = wordStart; r < end; r++) {
                int s = in - 2 * mm[mmOff + r];
                // Branch-free lo <= s <= hi: both differences non-negative (no overflow: lo and hi
                // are clamped to [-in-1, in+1] at load). Random outputs would defeat a branch predictor.
                int outside = (s - lo[r]) | (hi[r] - s);
                word |= (long) (~outside >>> 31) << (r - wordStart);
            }
            dst[dstOff + (wordStart >>> 6)] = word;
        }
    }
}
