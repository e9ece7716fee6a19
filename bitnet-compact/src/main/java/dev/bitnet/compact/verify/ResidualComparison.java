package dev.bitnet.compact.verify;

import java.util.Locale;

/** Finds the first stage (embedding, then each layer's attention and FFN) where two residual streams differ. */
final class ResidualComparison {

    private ResidualComparison() {
    }

    /**
     * Describes the first stage at which any of positions {@code 0..upTo} differs (bitwise), with
     * the position, dimension and both values; or says that every stage agrees (the difference
     * is then in the output head).
     */
    static String firstDifference(float[][] trainer, float[][] runtime, int d, int upTo) {
        for (int s = 0; s < trainer.length; s++) {
            for (int i = 0; i <= upTo; i++) {
                int count = 0;
                int first = -1;
                for (int j = 0; j < d; j++) {
                    int k = i * d + j;
                    if (Float.floatToRawIntBits(trainer[s][k]) != Float.floatToRawIntBits(runtime[s][k])) {
                        if (first < 0) {
                            first = j;
                        }
                        count++;
                    }
                }
                if (first >= 0) {
                    int k = i * d + first;
                    return String.format(Locale.ROOT, "residual streams first differ %s, position %d: x[%d] is %s in the"
                                    + " trainer, %s in the runtime (%d of %d values differ)", stage(s), i, first,
                            Float.toString(trainer[s][k]), Float.toString(runtime[s][k]), count, d);
                }
            }
        }
        return "residual streams agree after every layer: the difference is in the output head"
                + " (norm_out, embedding bits, head.alpha, head.bias)";
    }

    /** {@code after the embedding}, {@code after layer 2's attention}, {@code after layer 2's FFN}. */
    static String stage(int s) {
        if (s == 0) {
            return "after the embedding";
        }
        int layer = (s - 1) / 2;
        return "after layer " + layer + "'s " + (s % 2 == 1 ? "attention" : "FFN");
    }
}
