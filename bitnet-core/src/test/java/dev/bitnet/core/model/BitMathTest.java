package dev.bitnet.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitMathTest {

    @Test
    void invSqrtIsTheDoubleResultRoundedOnce() {
        assertThat(BitMath.invSqrt(1)).isEqualTo(1f);
        assertThat(BitMath.invSqrt(4)).isEqualTo(0.5f);
        assertThat(BitMath.invSqrt(256)).isEqualTo(0.0625f);
        assertThat(BitMath.invSqrt(64)).isEqualTo(0.125f);
        for (int n : new int[] {2, 3, 63, 65, 512, 768, 1024, 2048, 4096, 3072, 50257}) {
            assertThat(BitMath.invSqrt(n)).as("n=%d", n).isEqualTo((float) (1.0 / Math.sqrt(n)));
        }
        // 1/sqrt(768) = 0.036084391824351615: float32 0x3d13cd3a.
        assertThat(Float.floatToRawIntBits(BitMath.invSqrt(768))).isEqualTo(0x3d13cd3a);
        for (int bad : new int[] {0, -1}) {
            assertThatThrownBy(() -> BitMath.invSqrt(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(bad));
        }
    }

    @Test
    void alibiSlopesForFourAndEightHeadsAreExactPowersOfTwo() {
        assertThat(BitMath.alibiSlopes(4)).containsExactly(0x1p-2f, 0x1p-4f, 0x1p-6f, 0x1p-8f);
        assertThat(BitMath.alibiSlopes(8)).containsExactly(0x1p-1f, 0x1p-2f, 0x1p-3f, 0x1p-4f, 0x1p-5f, 0x1p-6f, 0x1p-7f, 0x1p-8f);
        assertThat(BitMath.alibiSlopes(1)).containsExactly(0x1p-8f);
    }

    @Test
    void alibiSlopesForSixteenHeadsMatchTheSpecBits() {
        float[] m = BitMath.alibiSlopes(16);
        assertThat(Float.floatToRawIntBits(m[0])).isEqualTo(0x3f3504f3);
        for (int h = 0; h < 16; h++) {
            int k = (h + 1) / 2;
            float want = (h + 1) % 2 == 0 ? Math.scalb(1f, -k) : Math.scalb(0x1.6a09e6p-1f, -k);
            assertThat(m[h]).as("h=%d", h).isEqualTo(want);
        }
    }

    @Test
    void rejectsNoHeadsAndKnowsTheNormEpsilon() {
        assertThatThrownBy(() -> BitMath.alibiSlopes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThat(BitMath.RMS_NORM_EPS).isEqualTo(1e-6f);
    }
}
