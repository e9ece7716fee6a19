package dev.bitnet.runtime.kernel;

import dev.bitnet.runtime.sampling.Sampler;
import java.lang.foreign.MemorySegment;

/**
 * The binary matrix products of the runtime: XOR + popcount over packed ±1 rows (see
 * {@code BitPacking}). For ±1 vectors of length n, {@code a . b = n - 2 * mismatches}.
 *
 * <p>The weights come as a row-major matrix in a (mapped, little-endian) {@link MemorySegment}: row
 * {@code r} is {@code rowWords} 64-bit words starting at byte {@code r * rowWords * 8}. Padding
 * bits are 0 in weights and inputs, so they never count as mismatches. The products take the
 * weights in the kernel's own layout, made once by {@link #prepare} (at model load). Implementations assume
 * valid arguments (the caller checks shapes once, at load time) and must give identical results
 * whatever the vector width.
 */
public interface BitKernels {

    /**
     * The weights in the layout this kernel's products read: a copy (which lives as long as it is
     * referenced), row-major for the scalar kernels, row-interleaved for the vector kernels.
     *
     * @param rowMajor the row-major matrix, {@code rows * rowWords} words, padding bits 0
     */
    MemorySegment prepare(MemorySegment rowMajor, int rows, int rowWords);

    /**
     * For each row {@code r} in {@code [rowStart, rowEnd)}: {@code out[r] = popcount(W[r] XOR x)}.
     *
     * @param w        weight rows, as returned by {@link #prepare}
     * @param rowWords words per row
     * @param rowStart first row (inclusive)
     * @param rowEnd   last row (exclusive)
     * @param x        packed input, at least {@code rowWords} words
     * @param out      mismatch counts, indexed by absolute row
     */
    void mismatches(MemorySegment w, int rowWords, int rowStart, int rowEnd, long[] x, int[] out);

    /**
     * The batched product for prefill: {@code n} inputs stored one after another in {@code xs}
     * ({@code rowWords} words each); {@code out[i * outStride + r] = popcount(W[r] XOR x_i)} for
     * each row {@code r} in {@code [rowStart, rowEnd)} and input {@code i < n}. Each weight row is
     * read once for all inputs.
     */
    void mismatchesBatch(MemorySegment w, int rowWords, int rowStart, int rowEnd,
                         long[] xs, int n, int[] out, int outStride);

    /**
     * Packs range tests of mismatch counts into bits, for the binary layers' threshold outputs:
     * for each row {@code r} in {@code [rowStart, rowEnd)}, bit {@code r % 64} of
     * {@code dst[dstOff + r / 64]} is 1 iff {@code lo[r] <= m[mOff + r] <= hi[r]}.
     * {@code rowStart} is a multiple of 64 and the words are overwritten (bits past {@code rowEnd} 0).
     */
    void inRangeBits(int[] m, int mOff, int[] lo, int[] hi, int rowStart, int rowEnd, long[] dst, int dstOff);

    /**
     * The output bits of {@code binarize(RMSNorm(x))} for {@code x[xOff .. xOff + width)} into
     * {@code out[outOff ..]}: bit i is 1 iff {@code x_i == 0}, or bit i of {@code gammaZero} is set,
     * or {@code (x_i > 0)} equals bit i of {@code gammaPositive} (MODEL.md's sign rule, with the
     * gain's signs packed once). Bits past {@code width} are 0.
     */
    void normSigns(float[] x, int xOff, int width, long[] gammaPositive, long[] gammaZero, long[] out, int outOff);

    /**
     * {@code dst[dstOff + r] = ((float)(s * c) * alpha[r]) + bias[r]} (or {@code +=} that value when
     * {@code accumulate}) for each row {@code r} in {@code [rowStart, rowEnd)}, where {@code s = in - 2 * m[mOff + r]}
     * is the exact ±1 product: the float outputs of the raw layers and the head. One float32
     * rounding per operation in this order, no fused multiply-add, whatever the implementation.
     */
    void scaledOutputs(int[] m, int mOff, int in, float c, float[] alpha, float[] bias, int rowStart, int rowEnd,
                       float[] dst, int dstOff, boolean accumulate);

    /**
     * Index of the largest of {@code values[from..to)}, exactly {@link Sampler#argmax(float[], int, int)}'s
     * choice: ties to the smallest index, NaN below every number, -1 if the range is empty. Greedy
     * decoding takes it over the head's logits, 50,257 of them a token at 75m.
     */
    int argmax(float[] values, int from, int to);

    /**
     * The pointer-attention choice of one query in one head: see {@link PointerScan#bestSlot}, whose
     * result every implementation returns.
     */
    int bestSlot(long[] keys, int cap, int h, long[] q, int qOff, int dh, float scale, float slope, int window,
                 long query);

    /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code vector-512}. */
    String name();
}
