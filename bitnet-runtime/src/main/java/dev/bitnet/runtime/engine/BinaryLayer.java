package dev.bitnet.runtime.engine;

import dev.bitnet.runtime.kernel.BitKernels;
import java.lang.foreign.MemorySegment;

/**
 * A BitLinear layer with ±1 output and a folded threshold: output {@code o} is +1 iff
 * {@code lo <= s <= hi} for the exact product {@code s = in - 2 * mismatches}, that is iff
 * {@code mLo[o] <= mismatches <= mHi[o]} with {@code mLo = ceil((in - hi) / 2)} and
 * {@code mHi = floor((in - lo) / 2)} (the same test on integers, without computing s).
 *
 * @param bits     ±1 rows (out, words(in)) in the kernels' layout
 * @param in       input width
 * @param out      output width (rows)
 * @param rowWords 64-bit words per row
 * @param mLo      (out) fewest mismatches giving +1
 * @param mHi      (out) most mismatches giving +1
 */
public record BinaryLayer(MemorySegment bits, int in, int out, int rowWords, int[] mLo, int[] mHi) {

    /**
     * The layer for a product range {@code [lo[o], hi[o]]} per output, each clamped to
     * {@code [-in-1, in+1]} (which changes no output) so nothing overflows.
     */
    static BinaryLayer ofProductRange(MemorySegment bits, int in, int out, int rowWords, int[] lo, int[] hi) {
        int[] mLo = new int[out];
        int[] mHi = new int[out];
        for (int o = 0; o < out; o++) {
            int l = Math.clamp(lo[o], -in - 1, in + 1);
            int h = Math.clamp(hi[o], -in - 1, in + 1);
            mLo[o] = -Math.floorDiv(h - in, 2);
            mHi[o] = Math.floorDiv(in - l, 2);
        }
        return new BinaryLayer(bits, in, out, rowWords, mLo, mHi);
    }

    /**
     * Output bits of rows {@code [rowStart, rowEnd)} from their mismatch counts
     * ({@code mm[mmOff + r]}) into the packed vector at {@code dst[dstOff]}. {@code rowStart} must be
     * a multiple of 64 (so parallel parts never share a word), and the words are overwritten.
     */
    public void outputBits(BitKernels kernels, int[] mm, int mmOff, int rowStart, int rowEnd, long[] dst, int dstOff) {
        kernels.inRangeBits(mm, mmOff, mLo, mHi, rowStart, rowEnd, dst, dstOff);
    }
}
