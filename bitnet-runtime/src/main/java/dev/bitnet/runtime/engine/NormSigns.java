package dev.bitnet.runtime.engine;

import dev.bitnet.runtime.kernel.BitKernels;

/**
 * The inference form of {@code binarize(RMSNorm(x))}: only the sign of {@code h} matters, and
 * {@code MODEL.md} fixes it as bit i = +1 iff {@code x_i == 0 || gamma_i == 0 || (x_i > 0) == (gamma_i > 0)}.
 * The RMS factor is positive and never changes a sign, so it is not computed at all.
 */
public final class NormSigns {

    private final int width;
    private final long[] gammaZero;     // (words(d)) bit i: gamma_i == 0, the output bit is always +1
    private final long[] gammaPositive; // (words(d)) bit i: gamma_i > 0

    /** The signs of a norm with gain {@code gamma} (read once). */
    public NormSigns(float[] gamma) {
        width = gamma.length;
        gammaZero = new long[(width + 63) >>> 6];
        gammaPositive = new long[gammaZero.length];
        for (int i = 0; i < width; i++) {
            gammaZero[i >>> 6] |= (gamma[i] == 0f ? 1L : 0L) << i;
            gammaPositive[i >>> 6] |= (gamma[i] > 0f ? 1L : 0L) << i;
        }
    }

    /** Packs the output bits of {@code x[xOff .. xOff+d)} into {@code out} from word {@code outOff}. */
    public void binarize(BitKernels kernels, float[] x, int xOff, long[] out, int outOff) {
        kernels.normSigns(x, xOff, width, gammaPositive, gammaZero, out, outOff);
    }
}
