package dev.bitnet.core.bits;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitPackingTest {

    private static final int[] AWKWARD = {1, 2, 63, 64, 65, 127, 128, 129, 200};

    @Test
    void valueIIsBitIModulo64OfWordIDiv64() {
        for (int n : AWKWARD) {
            for (int i = 0; i < n; i++) {
                float[] v = filled(n, -1f);
                v[i] = 1f;
                long[] packed = BitPacking.packSigns(v);
                assertThat(packed).hasSize(BitPacking.words(n));
                for (int w = 0; w < packed.length; w++) {
                    assertThat(packed[w]).as("n=%d i=%d word %d", n, i, w).isEqualTo(w == i / 64 ? 1L << (i % 64) : 0L);
                }
            }
        }
    }

    @Test
    void paddingBitsAreZero() {
        assertThat(BitPacking.packSigns(filled(65, 1f))).containsExactly(-1L, 1L);
        assertThat(BitPacking.packSigns(filled(63, 1f))).containsExactly(Long.MAX_VALUE);
        assertThat(BitPacking.packSigns(filled(64, 1f))).containsExactly(-1L);
        assertThat(BitPacking.packSigns(filled(1, 1f))).containsExactly(1L);
        for (int n : AWKWARD) {
            long[] p = BitPacking.packSigns(filled(n, 1f));
            assertThat(p[p.length - 1] & ~BitPacking.lastWordMask(n)).as("n=%d", n).isZero();
            assertThat(Long.bitCount(p[p.length - 1])).isEqualTo(n % 64 == 0 ? 64 : n % 64);
        }
    }

    @Test
    void signFollowsTheSpec() {
        assertThat(BitPacking.signBit(-0.0f)).isTrue();
        assertThat(BitPacking.signBit(0.0f)).isTrue();
        assertThat(BitPacking.signBit(Float.MIN_VALUE)).isTrue();
        assertThat(BitPacking.signBit(-Float.MIN_VALUE)).isFalse();
        assertThat(BitPacking.signBit(Float.NEGATIVE_INFINITY)).isFalse();
        assertThat(BitPacking.signBit(Float.NaN)).isFalse();                 // v >= 0 is false for NaN
        assertThat(BitPacking.packSigns(new float[] {-0.0f, -1e-30f, 0f, Float.NaN}))
                .containsExactly(0b0101L);
    }

    @Test
    void packAndUnpackRoundTripOnAwkwardLengths() {
        Random random = new Random(42);
        for (int n : AWKWARD) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextGaussian();
            }
            v[0] = -0.0f;
            long[] packed = BitPacking.packSigns(v);
            float[] back = BitPacking.unpack(packed, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(back[i]).as("n=%d i=%d", n, i).isEqualTo(v[i] >= 0 ? 1f : -1f);
                assertThat(BitPacking.bit(packed, 0, i)).isEqualTo(BitPacking.signBit(v[i]));
            }
            assertThat(BitPacking.packSigns(back)).isEqualTo(packed);
        }
    }

    @Test
    void dotProductIsNMinusTwiceTheMismatchPopcount() {
        Random random = new Random(3);
        for (int n : AWKWARD) {
            float[] a = randomSigns(random, n);
            float[] b = randomSigns(random, n);
            long[] pa = BitPacking.packSigns(a);
            long[] pb = BitPacking.packSigns(b);
            int mismatches = 0;
            for (int w = 0; w < pa.length; w++) {
                mismatches += Long.bitCount(pa[w] ^ pb[w]);            // padding is 0 in both: no mask needed
            }
            int dot = 0;
            for (int i = 0; i < n; i++) {
                dot += (int) (a[i] * b[i]);
            }
            assertThat(n - 2 * mismatches).as("n=%d", n).isEqualTo(dot);
        }
    }

    @Test
    void packsIntoOffsetsAndRowsStartOnWordBoundaries() {
        Random random = new Random(5);
        int rows = 3;
        int cols = 65;
        float[] m = randomSigns(random, rows * cols);
        long[] packed = BitPacking.packRows(m, rows, cols);
        assertThat(packed).hasSize(rows * 2);
        for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(m, r * cols, (r + 1) * cols);
            assertThat(BitPacking.unpack(packed, r * 2, cols)).isEqualTo(row);
            assertThat(packed[r * 2 + 1] >>> 1).as("padding of row %d", r).isZero();
        }
        long[] dst = {7L, 7L, 7L, 7L};
        BitPacking.packSigns(filled(70, 1f), 0, 65, dst, 1);
        assertThat(dst).containsExactly(7L, -1L, 1L, 7L);
        assertThatThrownBy(() -> BitPacking.packRows(new float[10], 3, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10").hasMessageContaining("3 x 4");
    }

    @Test
    void wordCountsAndMasks() {
        assertThat(BitPacking.words(0)).isZero();
        assertThat(BitPacking.words(1)).isEqualTo(1);
        assertThat(BitPacking.words(64)).isEqualTo(1);
        assertThat(BitPacking.words(65)).isEqualTo(2);
        assertThat(BitPacking.words(Integer.MAX_VALUE)).isEqualTo(1 << 25);
        assertThatThrownBy(() -> BitPacking.words(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(BitPacking.lastWordMask(1)).isEqualTo(1L);
        assertThat(BitPacking.lastWordMask(63)).isEqualTo(Long.MAX_VALUE);
        assertThat(BitPacking.lastWordMask(64)).isEqualTo(-1L);
        assertThat(BitPacking.lastWordMask(65)).isEqualTo(1L);
        assertThat(BitPacking.lastWordMask(200)).isEqualTo(0xFFL);
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static float[] randomSigns(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextBoolean() ? 1f : -1f;
        }
        return v;
    }
}
