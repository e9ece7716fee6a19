package dev.bitnet.core.model;

import dev.bitnet.core.config.ModelConfig;

/**
 * Folds a binary BitLinear output's float {@code alpha} and {@code theta} into an integer range
 * on the exact product {@code s = x . Wb} (an integer in {@code [-in, in]} with the parity of
 * {@code in}).
 *
 * <p>The spec's output bit is {@code (float)((float)(s * c_in) * alpha) - theta >= 0}. This class
 * evaluates that float32 expression for every possible {@code s}, never by algebra that could
 * round differently, and returns the inclusive range {@code [lo, hi]} of {@code s} for which the
 * bit is +1. The expression is monotone in {@code s}, so the set is always one range: {@code [t, in]}
 * for {@code alpha > 0}, {@code [-in, t]} for {@code alpha < 0}, everything or nothing when
 * {@code alpha == 0}. The runtime then needs one popcount and two integer compares per output.
 */
public final class ThresholdFolding {

    private ThresholdFolding() {
    }

    /**
     * The spec's binary output for one product value: {@code (float)((float)(s * cIn) * alpha) - theta >= 0}.
     * This is the one place the runtime-independent reference of that expression lives.
     */
    public static boolean outputBit(int s, float cIn, float alpha, float theta) {
        float u = (float) s * cIn;
        float scaled = u * alpha;
        return scaled - theta >= 0f;
    }

    /**
     * The inclusive range {@code {lo, hi}} of products {@code s} whose output bit is +1, for an
     * input width {@code in}. When no product gives +1 the result has {@code lo = in + 1, hi = -in - 1}
     * (empty: {@code lo > hi}).
     *
     * @throws IllegalArgumentException if alpha or theta is not finite, or in is not in
     *                                  {@code [1, ModelConfig.MAX_DIMENSION]}
     */
    public static int[] fold(float alpha, float theta, int in) {
        if (!Float.isFinite(alpha) || !Float.isFinite(theta)) {
            throw new IllegalArgumentException("alpha and theta must be finite, got alpha=" + alpha + ", theta=" + theta);
        }
        if (in <= 0 || in > ModelConfig.MAX_DIMENSION) {     // larger widths would overflow s
            throw new IllegalArgumentException("input width must be in [1, " + ModelConfig.MAX_DIMENSION + "], got " + in);
        }
        float cIn = BitMath.invSqrt(in);
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        boolean inside = false;
        boolean closed = false;
        for (int s = -in; s <= in; s += 2) {
            boolean on = outputBit(s, cIn, alpha, theta);
            if (on) {
                if (closed) {
                    throw new IllegalStateException("non-monotone threshold at s=" + s + " (alpha=" + alpha
                            + ", theta=" + theta + ", in=" + in + ")");
                }
                lo = Math.min(lo, s);
                hi = s;
                inside = true;
            } else if (inside) {
                closed = true;
            }
        }
        if (!inside) {
            return new int[] {in + 1, -in - 1};
        }
        return new int[] {lo, hi};
    }
}
