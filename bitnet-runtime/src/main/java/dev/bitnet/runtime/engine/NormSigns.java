package dev.bitnet.runtime.engine;

/**
 * The inference form of {@code binarize(RMSNorm(x))}: only the sign of {@code h} matters, and
 * {@code MODEL.md} fixes it as bit i = +1 iff {@code x_i == 0 || gamma_i == 0 || (x_i > 0) == (gamma_i > 0)}.
 * The RMS factor is positive and never changes a sign, so it is not computed at all.
 */
public final class NormSigns {

    private final int width;
    private final boolean[] gammaZero;     // (d) gamma_i == 0: the bit is always +1
    private final boolean[] gammaPositive; // (d) gamma_i > 0

    /** The signs of a norm with gain {@code gamma} (copied). */
    public NormSigns(float[] gamma) {
        width = gamma.length;
        gammaZero = new boolean[width];
        gammaPositive = new boolean[width];
        for (int i = 0; i < width; i++) {
            gammaZero[i] = gamma[i] == 0f;
            gammaPositive[i] = gamma[i] > 0f;
        }
    }

    /** Packs the output bits of {@code x[xOff .. xOff+d)} into {@code out} from word {@code outOff}. */
    public void binarize(float[] x, int xOff, long[] out, int outOff) {
        int words = (width + 63) >>> 6;
        for (int k = 0; k < words; k++) {
            long word = 0;
            int base = k << 6;
            int end = Math.min(64, width - base);
            for (int b = 0; b < end; b++) {
                int i = base + b;
                float xi = x[xOff + i];
                if (xi == 0f || gammaZero[i] || (xi > 0f) == gammaPositive[i]) {
                    word |= 1L << b;
                }
            }
            out[outOff + k] = word;
        }
    }
}
