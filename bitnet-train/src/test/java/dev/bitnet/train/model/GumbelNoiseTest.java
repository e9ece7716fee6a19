package dev.bitnet.train.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GumbelNoiseTest {

    @Test
    void uniformsAreInTheOpenUnitIntervalAndLookUniform() {
        int n = 1_000_001;
        float[] u = GumbelNoise.uniform(12345, n);
        double sum = 0;
        int[] bins = new int[10];
        for (float x : u) {
            assertThat(x).isGreaterThan(0f).isLessThan(1f);
            sum += x;
            bins[(int) (x * 10)]++;
        }
        assertThat(sum / n).isCloseTo(0.5, within(0.002));
        for (int b : bins) {
            assertThat(b).isBetween(n / 10 - 2000, n / 10 + 2000);
        }
        double gumbelMean = 0;
        for (float x : u) {
            gumbelMean += -Math.log(-Math.log(x));
        }
        assertThat(gumbelMean / n).as("Euler-Mascheroni").isCloseTo(0.5772, within(0.005));
    }

    @Test
    void causalNoiseIsTheFullStreamBelowTheDiagonal() {
        Shape shape = new Shape(2, 3, 7, 7);
        float[] u = GumbelNoise.uniform(99, (int) shape.size());
        try (NDManager m = NDManager.newBaseManager()) {
            float[] full = m.create(u, shape).log().neg().log().toFloatArray();
            float[] causal = new GumbelNoise().causalNegGumbel(m, shape, 99).toFloatArray();
            for (int idx = 0; idx < full.length; idx++) {
                int i = idx / 7 % 7;
                int j = idx % 7;
                if (j <= i) {
                    assertThat(causal[idx]).as("index %d", idx).isEqualTo(full[idx]).isFinite();
                } else {
                    // Finite, so that PyTorch's log stays on its fast path; the -inf score absorbs it.
                    assertThat(causal[idx]).as("masked index %d", idx).isFinite();
                }
            }
        }
    }

    @Test
    void aReusedInstanceDrawsWhatFreshOnesDraw() {
        Shape large = new Shape(2, 2, 9, 9);
        Shape small = new Shape(1, 3, 5, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            GumbelNoise reused = new GumbelNoise();
            // Large, small (reusing a prefix of the buffer), then large twice: the masked entries
            // are written again after the small draw, and skipped on the repeat.
            Shape[] shapes = {large, small, large, large};
            for (int key = 0; key < shapes.length; key++) {
                float[] drawn = reused.causalNegGumbel(m, shapes[key], key).toFloatArray();
                assertThat(drawn).as("draw %d", key)
                        .containsExactly(new GumbelNoise().causalNegGumbel(m, shapes[key], key).toFloatArray());
            }
        }
    }

    @Test
    void streamsAreAFunctionOfTheKeyOnly() {
        assertThat(GumbelNoise.uniform(7, 1001)).containsExactly(GumbelNoise.uniform(7, 1001));
        assertThat(GumbelNoise.uniform(7, 1001)).isNotEqualTo(GumbelNoise.uniform(8, 1001));
        assertThat(GumbelNoise.key(1, 2)).isNotEqualTo(GumbelNoise.key(2, 1)).isNotEqualTo(GumbelNoise.key(1, 3));
        float[] longer = GumbelNoise.uniform(7, 2000);
        float[] shorter = GumbelNoise.uniform(7, 999);
        for (int i = 0; i < shorter.length; i++) {
            assertThat(shorter[i]).isEqualTo(longer[i]);
        }
    }

    @Test
    void aDrawMadeInChunksOfRowsEqualsOneMadeAtOnce() {
        Shape shape = new Shape(2, 3, 7, 7);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] whole = new GumbelNoise().causalNegGumbel(m, shape, 5).toFloatArray();
            // 3 rows per chunk (chunks straddle the 7-row matrices), then one row per chunk.
            for (int chunkBytes : new int[] {3 * 7 * Float.BYTES, 1}) {
                GumbelNoise chunked = new GumbelNoise(chunkBytes);
                assertThat(chunked.causalNegGumbel(m, shape, 5).toFloatArray()).as("chunks of %d bytes", chunkBytes)
                        .containsExactly(whole);
                assertThat(chunked.causalNegGumbel(m, shape, 5).getShape()).isEqualTo(shape);
            }
        }
    }

    @Test
    void theGeneratorDrawIsAFunctionOfTheKeyNotOfEarlierDraws() {
        Shape shape = new Shape(4, 64, 64);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] first = GumbelNoise.generatorNegGumbel(m, shape, 11).toFloatArray();
            m.randomUniform(0f, 1f, new Shape(1000));                  // moves the engine's generator on
            float[] again = GumbelNoise.generatorNegGumbel(m, shape, 11).toFloatArray();
            float[] other = GumbelNoise.generatorNegGumbel(m, shape, 12).toFloatArray();
            assertThat(again).containsExactly(first);
            assertThat(other).isNotEqualTo(first);
            double mean = 0;
            for (float x : first) {
                assertThat(x).isFinite();
                mean -= x;                                             // the draw is minus a Gumbel sample
            }
            assertThat(mean / first.length).as("Euler-Mascheroni").isCloseTo(0.5772, within(0.02));
        }
    }
}
