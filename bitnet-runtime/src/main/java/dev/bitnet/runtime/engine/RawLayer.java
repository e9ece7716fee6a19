package dev.bitnet.runtime.engine;

import dev.bitnet.runtime.kernel.BitKernels;
import java.lang.foreign.MemorySegment;

/**
 * A BitLinear layer with float output, added to the residual stream:
 * {@code y = (float)((float)(s * cIn) * alpha) + bias}, one float32 rounding per operation in
 * exactly this order, no fused multiply-add (the contract of parity with the trainer).
 *
 * @param bits     ±1 rows (out, words(in)) in the kernels' layout
 * @param in       input width
 * @param out      output width (rows)
 * @param rowWords 64-bit words per row
 * @param cIn      {@code (float)(1 / sqrt(in))}
 * @param alpha    (out) per-channel scale
 * @param bias     (out) per-channel bias
 */
public record RawLayer(MemorySegment bits, int in, int out, int rowWords, float cIn, float[] alpha, float[] bias) {

    /** {@code x[xOff + r] += y[r]} for rows {@code [rowStart, rowEnd)}, from mismatch counts {@code mm[mmOff + r]}. */
    public void addOutput(BitKernels kernels, int[] mm, int mmOff, int rowStart, int rowEnd, float[] x, int xOff) {
        kernels.scaledOutputs(mm, mmOff, in, cIn, alpha, bias, rowStart, rowEnd, x, xOff, true);
    }
}
