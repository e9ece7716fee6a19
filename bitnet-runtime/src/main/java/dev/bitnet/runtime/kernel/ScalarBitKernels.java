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
    public String name() {
        return "scalar";
    }
}
