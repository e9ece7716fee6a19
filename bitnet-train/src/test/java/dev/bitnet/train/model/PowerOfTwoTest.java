package dev.bitnet.train.model;

import dev.bitnet.core.model.BitMath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PowerOfTwoTest {

    @Test
    void theCInOfWidthsThatArePowersOfFourArePowersOfTwo() {
        assertThat(PowerOfTwo.is(BitMath.invSqrt(256))).isTrue();     // 1/16
        assertThat(PowerOfTwo.is(BitMath.invSqrt(1024))).isTrue();    // 1/32
        assertThat(PowerOfTwo.is(BitMath.invSqrt(64))).isTrue();      // 1/8, the attention's d_head scale
        assertThat(PowerOfTwo.is(BitMath.invSqrt(512))).isFalse();
        assertThat(PowerOfTwo.is(BitMath.invSqrt(768))).isFalse();
    }

    @Test
    void onlyPositiveNormalPowersOfTwo() {
        assertThat(PowerOfTwo.is(1f)).isTrue();
        assertThat(PowerOfTwo.is(0x1p-126f)).isTrue();
        assertThat(PowerOfTwo.is(0x1p127f)).isTrue();
        assertThat(PowerOfTwo.is(0x1p-127f)).as("subnormal").isFalse();
        assertThat(PowerOfTwo.is(Float.MIN_VALUE)).isFalse();
        assertThat(PowerOfTwo.is(0f)).isFalse();
        assertThat(PowerOfTwo.is(-0.5f)).isFalse();
        assertThat(PowerOfTwo.is(3f)).isFalse();
        assertThat(PowerOfTwo.is(Math.nextUp(1f))).isFalse();
        assertThat(PowerOfTwo.is(Float.POSITIVE_INFINITY)).isFalse();
        assertThat(PowerOfTwo.is(Float.NaN)).isFalse();
    }
}
