package dev.bitnet.core.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdFoldingTest {

    private static final int[] WIDTHS = {1, 2, 3, 64, 256, 768};

    /** Values that stress the float expression: signed zeros, subnormals, extremes, ordinary. */
    private static final float[] SPECIAL = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 1e-7f,
        1f, -1f, 0.5f, 3f, -7.25f, 1e10f, -1e10f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
    };

    @Test
    void foldedRangeEqualsTheFloatExpressionForEveryProduct() {
        Random random = new Random(1234);
        int checked = 0;
        for (int in : WIDTHS) {
            float cIn = BitMath.invSqrt(in);
            for (int trial = 0; trial < 3000; trial++) {
                float alpha = pick(random, in);
                float theta = pick(random, in);
                int[] range = ThresholdFolding.fold(alpha, theta, in);
                for (int s = -in; s <= in; s += 2) {
                    boolean inRange = range[0] <= s && s <= range[1];
                    if (inRange != ThresholdFolding.outputBit(s, cIn, alpha, theta)) {
                        throw new AssertionError("in=" + in + " alpha=" + alpha + " theta=" + theta + " s=" + s
                                + " range=[" + range[0] + ", " + range[1] + "]");
                    }
                }
                assertShape(range, alpha, in);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(WIDTHS.length * 3000);
    }

    @Test
    void thresholdsNearAProductAreDecidedInFloat32() {
        // theta equal to the float32 value of (s * c_in) * alpha puts s exactly on the boundary;
        // one ulp higher must exclude it. Evaluating in double (or with FMA) would miss either.
        Random random = new Random(99);
        for (int in : new int[] {3, 768}) {
            float cIn = BitMath.invSqrt(in);
            for (int trial = 0; trial < 2000; trial++) {
                int s = -in + 2 * random.nextInt(in + 1);
                float alpha = (float) (random.nextGaussian() * 3);
                float theta = (float) s * cIn * alpha;
                assertThat(ThresholdFolding.outputBit(s, cIn, alpha, theta)).isTrue();
                assertThat(ThresholdFolding.outputBit(s, cIn, alpha, Math.nextUp(theta))).isFalse();
                int[] range = ThresholdFolding.fold(alpha, theta, in);
                assertThat(range[0] <= s && s <= range[1]).isTrue();
            }
        }
    }

    @Test
    void emptyAndFullRanges() {
        for (int in : WIDTHS) {
            assertThat(ThresholdFolding.fold(0f, 0f, in)).containsExactly(-in, in);         // -0.0 - 0 >= 0
            assertThat(ThresholdFolding.fold(0f, 1f, in)).containsExactly(in + 1, -in - 1);
            assertThat(ThresholdFolding.fold(1f, -1e30f, in)).containsExactly(-in, in);
            assertThat(ThresholdFolding.fold(1f, 1e30f, in)).containsExactly(in + 1, -in - 1);
            assertThat(ThresholdFolding.fold(-1f, 1e30f, in)).containsExactly(in + 1, -in - 1);
            assertThat(ThresholdFolding.fold(1f, 0f, in)).containsExactly(in % 2 == 0 ? 0 : 1, in);
            assertThat(ThresholdFolding.fold(-1f, 0f, in)).containsExactly(-in, in % 2 == 0 ? 0 : -1);
        }
        // Overflow to infinity is still monotone: +inf - theta >= 0, -inf - theta < 0.
        assertThat(ThresholdFolding.fold(Float.MAX_VALUE, 0f, 768)).containsExactly(0, 768);
        assertThat(ThresholdFolding.fold(-Float.MAX_VALUE, -1f, 768)).containsExactly(-768, 0);
    }

    @Test
    void rejectsNonFiniteValuesAndBadWidthsByName() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> ThresholdFolding.fold(bad, 0f, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha=" + bad);
            assertThatThrownBy(() -> ThresholdFolding.fold(1f, bad, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("theta=" + bad);
        }
        for (int bad : new int[] {0, -64, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> ThresholdFolding.fold(1f, 0f, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got " + bad);
        }
    }

    /** One range: [t, in] for alpha > 0, [-in, t] for alpha < 0, everything or nothing for 0. */
    private static void assertShape(int[] range, float alpha, int in) {
        boolean empty = range[0] > range[1];
        if (empty) {
            assertThat(range).containsExactly(in + 1, -in - 1);
        } else if (alpha > 0) {
            assertThat(range[1]).isEqualTo(in);
        } else if (alpha < 0) {
            assertThat(range[0]).isEqualTo(-in);
        } else {
            assertThat(range).containsExactly(-in, in);
        }
        if (!empty) {
            assertThat((range[0] + in) % 2).isZero();          // the ends have the parity of in
            assertThat((range[1] + in) % 2).isZero();
        }
    }

    /**
     * Mostly values near the products (so the threshold falls inside the range), with the
     * special values mixed in.
     */
    private static float pick(Random random, int in) {
        return switch (random.nextInt(4)) {
            case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
            case 1 -> (float) (random.nextGaussian() * Math.sqrt(in));
            case 2 -> (float) random.nextGaussian();
            default -> (float) (random.nextGaussian() * Math.pow(10, random.nextInt(61) - 30));
        };
    }
}
