package dev.bitnet.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference kernels: plain loops over {@link Long#bitCount}, one row at a time. Every other
 * implementation must give exactly these results. Also the fallback when the Vector API is not
 * enabled.
 */
final class ScalarBitKernels implements BitKernels {

    static final ScalarBitKernels INSTANCE = new ScalarBitKernels();

    /** Weights are stored little-endian; tensor offsets are not promised to be 8-byte aligned. */
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarBitKernels() {
    }

    /** Row-major already: the segment itself. */
    @Override
    public MemorySegment prepare(MemorySegment rowMajor, int rows, int rowWords) {
        return rowMajor;
    }

    @Override
    public void mismatches(MemorySegment w, int rowWords, int rowStart, int rowEnd, long[] x, int[] out) {
        for (int r = rowStart; r < rowEnd; r++) {
            out[r] = row(w, (long) r * rowWords * Long.BYTES, rowWords, x, 0);
        }
    }

    @Override
    public void mismatchesBatch(MemorySegment w, int rowWords, int rowStart, int rowEnd,
                                long[] xs, int n, int[] out, int outStride) {
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOff = (long) r * rowWords * Long.BYTES;
            for (int i = 0; i < n; i++) {
                out[i * outStride + r] = row(w, rowOff, rowWords, xs, i * rowWords);
            }
        }
    }

    /** popcount(W row at byte {@code rowOff} XOR x[xOff .. xOff + rowWords)). */
    static int row(MemorySegment w, long rowOff, int rowWords, long[] x, int xOff) {
        // A slice per row lets C2 check the bounds once per row instead of once per word.
        MemorySegment row = w.asSlice(rowOff, (long) rowWords * Long.BYTES);
        int count = 0;
        for (int k = 0; k < rowWords; k++) {
            count += Long.bitCount(row.get(WORD, (long) k * Long.BYTES) ^ x[xOff + k]);
        }
        return count;
    }

    @Override
    public void inRangeBits(int[] m, int mOff, int[] lo, int[] hi, int rowStart, int rowEnd, long[] dst, int dstOff) {
        for (int wordStart = rowStart; wordStart < rowEnd; wordStart += 64) {
            dst[dstOff + (wordStart >>> 6)] = inRangeWord(m, mOff, lo, hi, wordStart, Math.min(wordStart + 64, rowEnd), 0L);
        }
    }

    /**
     * {@code word} with bit {@code r % 64} set for each row r in {@code [from, to)} (all in one
     * word) whose count is in range.
     */
    static long inRangeWord(int[] m, int mOff, int[] lo, int[] hi, int from, int to, long word) {
        for (int r = from; r < to; r++) {
            int c = m[mOff + r];
            // Branch-free lo <= c <= hi: both differences non-negative (no overflow: counts and
            // bounds are small). Random outputs would defeat a branch predictor.
            int outside = (c - lo[r]) | (hi[r] - c);
            word |= (long) (~outside >>> 31) << (r & 63);
        }
        return word;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
