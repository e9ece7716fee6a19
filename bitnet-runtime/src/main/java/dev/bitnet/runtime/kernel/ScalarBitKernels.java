package dev.bitnet.runtime.kernel;

import dev.bitnet.runtime.sampling.Sampler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference kernels: plain loops over {@link Long#bitCount} (four rows per pass when decoding), on a
 * row-major heap copy of the weights. Every other
 * implementation must give exactly these results. Also the fallback when the Vector API is not
 * enabled.
 */
final class ScalarBitKernels implements BitKernels {

    static final ScalarBitKernels INSTANCE = new ScalarBitKernels();

    /** Weights are stored little-endian; tensor offsets are not promised to be 8-byte aligned. */
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarBitKernels() {
    }

    /**
     * A row-major copy in a heap {@code long[]} (wrapped in a segment): C2 removes the bounds
     * checks of array loads in these loops, not those of segment loads.
     */
    @Override
    public MemorySegment prepare(MemorySegment rowMajor, int rows, int rowWords) {
        long[] out = new long[Math.multiplyExact(rows, rowWords)];
        MemorySegment.copy(rowMajor, WORD, 0, out, 0, out.length);
        return MemorySegment.ofArray(out);
    }

    @Override
    public void mismatches(MemorySegment w, int rowWords, int rowStart, int rowEnd, long[] x, int[] out) {
        long[] ws = weights(w, "scalar");
        int r = rowStart;
        for (; r + 4 <= rowEnd; r += 4) {
            rows4(ws, r * rowWords, rowWords, x, out, r);
        }
        for (; r < rowEnd; r++) {
            out[r] = row(ws, r * rowWords, rowWords, x, 0);
        }
    }

    /** Four consecutive rows from {@code w[wOff]}: each input word is loaded once, four independent sums. */
    private static void rows4(long[] w, int wOff, int rowWords, long[] x, int[] out, int pos) {
        int c0 = 0;
        int c1 = 0;
        int c2 = 0;
        int c3 = 0;
        int o1 = wOff + rowWords;
        int o2 = o1 + rowWords;
        int o3 = o2 + rowWords;
        for (int k = 0; k < rowWords; k++) {
            long xk = x[k];
            c0 += Long.bitCount(w[wOff + k] ^ xk);
            c1 += Long.bitCount(w[o1 + k] ^ xk);
            c2 += Long.bitCount(w[o2 + k] ^ xk);
            c3 += Long.bitCount(w[o3 + k] ^ xk);
        }
        out[pos] = c0;
        out[pos + 1] = c1;
        out[pos + 2] = c2;
        out[pos + 3] = c3;
    }

    @Override
    public void mismatchesBatch(MemorySegment w, int rowWords, int rowStart, int rowEnd,
                                long[] xs, int n, int[] out, int outStride) {
        long[] ws = weights(w, "scalar");
        for (int r = rowStart; r < rowEnd; r++) {
            for (int i = 0; i < n; i++) {
                out[i * outStride + r] = row(ws, r * rowWords, rowWords, xs, i * rowWords);
            }
        }
    }

    /** popcount(w[wOff .. wOff + rowWords) XOR x[xOff .. xOff + rowWords)). */
    private static int row(long[] w, int wOff, int rowWords, long[] x, int xOff) {
        int count = 0;
        for (int k = 0; k < rowWords; k++) {
            count += Long.bitCount(w[wOff + k] ^ x[xOff + k]);
        }
        return count;
    }

    /** The array behind a segment made by a {@code prepare} (the whole array, from its start). */
    static long[] weights(MemorySegment w, String kernels) {
        if (w.heapBase().orElse(null) instanceof long[] a && w.address() == 0 && w.byteSize() == a.length * 8L) {
            return a;
        }
        throw new IllegalArgumentException("weights not made by prepare() of the " + kernels + " kernels");
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
    public void normSigns(float[] x, int xOff, int width, long[] gammaPositive, long[] gammaZero, long[] out, int outOff) {
        for (int k = 0; k < gammaZero.length; k++) {
            int base = k << 6;
            int end = Math.min(64, width - base);
            long positive = 0;
            long zero = 0;
            for (int b = 0; b < end; b++) {
                float xi = x[xOff + base + b];
                positive |= (xi > 0f ? 1L : 0L) << b;
                zero |= (xi == 0f ? 1L : 0L) << b;
            }
            out[outOff + k] = signWord(positive, zero, gammaPositive[k], gammaZero[k], end);
        }
    }

    /** The sign rule on 64 packed values, of which the first {@code valid} are real. */
    static long signWord(long positive, long zero, long gammaPositive, long gammaZero, int valid) {
        long word = zero | gammaZero | ~(positive ^ gammaPositive);
        return valid == 64 ? word : word & ((1L << valid) - 1);
    }

    @Override
    public void scaledOutputs(int[] m, int mOff, int in, float c, float[] alpha, float[] bias, int rowStart, int rowEnd,
                              float[] dst, int dstOff, boolean accumulate) {
        for (int r = rowStart; r < rowEnd; r++) {
            int s = in - 2 * m[mOff + r];
            float u = s * c;
            float scaled = u * alpha[r];
            float y = scaled + bias[r];
            dst[dstOff + r] = accumulate ? dst[dstOff + r] + y : y;
        }
    }

    @Override
    public int argmax(float[] values, int from, int to) {
        return Sampler.argmax(values, from, to);
    }

    @Override
    public int bestSlot(long[] keys, int cap, int h, long[] q, int qOff, int dh, float scale, float slope, int window,
                        long query) {
        return PointerScan.bestSlot(keys, cap, h, q, qOff, dh, scale, slope, window, query);
    }

    @Override
    public String name() {
        return "scalar";
    }
}
