package dev.bitnet.core.model;

/**
 * The handful of constants of {@code MODEL.md} that every side must compute identically. The
 * trainer, the exporter and the runtime all take them from here, so their float32 values agree
 * to the bit.
 */
public final class BitMath {

    /** The epsilon inside RMSNorm: {@code x / sqrt(mean(x^2) + 1e-6) * gamma}. */
    public static final float RMS_NORM_EPS = 1e-6f;

    private BitMath() {
    }

    /** {@code (float)(1 / sqrt(n))}, computed in double and rounded once: the spec's {@code c_in}. */
    public static float invSqrt(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("invSqrt needs n > 0, got " + n);
        }
        return (float) (1.0 / Math.sqrt(n));
    }

    /**
     * ALiBi slopes {@code m_h = (float) 2^(-8 (h+1) / H)} for {@code h = 0..H-1}, computed in
     * double with {@link StrictMath#pow} and rounded to float, as the spec fixes them.
     */
    public static float[] alibiSlopes(int nHeads) {
        if (nHeads <= 0) {
            throw new IllegalArgumentException("n_heads must be > 0, got " + nHeads);
        }
        float[] m = new float[nHeads];
        for (int h = 0; h < nHeads; h++) {
            m[h] = (float) StrictMath.pow(2.0, -8.0 * (h + 1) / nHeads);
        }
        return m;
    }
}
