package dev.bitnet.runtime;

import dev.bitnet.runtime.sampling.Sampler;
import dev.bitnet.runtime.sampling.TemperatureSampler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationOptionsTest {

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> GenerationOptions.builder().temperature(-0.5f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be a finite value >= 0 (0 = greedy), got -0.5");
        assertThatThrownBy(() -> GenerationOptions.builder().temperature(Float.NaN))
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> GenerationOptions.builder().topP(0f)).hasMessage("top-p must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> GenerationOptions.builder().topP(1.5f)).hasMessage("top-p must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> GenerationOptions.builder().topK(-1)).hasMessage("top-k must be >= 0 (0 = off), got -1");
        assertThatThrownBy(() -> GenerationOptions.builder().maxTokens(-3)).hasMessage("max tokens must be >= 0, got -3");
        assertThatThrownBy(() -> GenerationOptions.builder().repetitionPenalty(0f))
                .hasMessage("repetition penalty must be a finite value > 0 (1 = off), got 0.0");
        assertThatThrownBy(() -> GenerationOptions.builder().stopStrings(List.of("ok", "")))
                .hasMessage("stop strings must be non-empty, got \"\"");
        assertThatThrownBy(() -> ModelOptions.builder().threads(0)).hasMessage("threads must be >= 1, got 0");
        assertThatThrownBy(() -> ModelOptions.builder().attentionWindow(0)).hasMessage("attention window must be >= 1, got 0");
    }

    @Test
    void windowAndThreadsAreBounded() {
        // --window 2147483647 overflowed window + 64 into a division by zero; --threads 200 started 199 spinning workers.
        assertThatThrownBy(() -> ModelOptions.builder().attentionWindow(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attention window must be at most 1073741824, got 2147483647");
        assertThat(ModelOptions.builder().attentionWindow(ModelOptions.MAX_ATTENTION_WINDOW).build().attentionWindow())
                .isEqualTo(1 << 30);
        int cpus = Runtime.getRuntime().availableProcessors();
        int max = ModelOptions.MAX_THREADS_PER_PROCESSOR * cpus;
        assertThat(ModelOptions.builder().threads(max).build().threads()).isEqualTo(max);
        assertThatThrownBy(() -> ModelOptions.builder().threads(max + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be at most " + max + " (4 x the " + cpus + " available processors; more threads "
                        + "than processors only slow a session down), got " + (max + 1));
        assertThatThrownBy(() -> ModelOptions.builder().maxSessionBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max session bytes must be >= 1, got 0");
        assertThatThrownBy(() -> ModelOptions.builder().fileLimits(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void temperatureZeroIsGreedy() {
        assertThat(GenerationOptions.greedy(5).newSampler()).isSameAs(Sampler.GREEDY);
        assertThat(GenerationOptions.builder().seed(1).build().newSampler()).isInstanceOf(TemperatureSampler.class);
    }

    @Test
    void greedyTakesTheFirstOfEqualMaxima() {
        assertThat(Sampler.argmax(new float[] {1, 3, 2, 3})).isEqualTo(1);
    }

    @Test
    void greedyRanksNaNBelowEverything() {
        assertThat(Sampler.argmax(new float[] {Float.NaN, -5f, Float.NaN, 2f})).isEqualTo(3);
        assertThat(Sampler.argmax(new float[] {Float.NaN, Float.NEGATIVE_INFINITY})).isEqualTo(1);
        assertThat(Sampler.argmax(new float[] {Float.NaN, Float.NaN})).isZero();
    }

    @Test
    void samplingIsTotalForAnyLogits() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float ninf = Float.NEGATIVE_INFINITY;
        // Each case: logits, the tokens that may come out. TemperatureSampler.java:64 indexed -1 for the
        // all-NaN case (NaN reached the nucleus cut-off, which then kept nothing).
        Object[][] cases = {
            {new float[] {nan, nan, nan}, Set.of(0)},
            {new float[] {ninf, ninf, ninf}, Set.of(0)},
            {new float[] {nan, 1f, nan, 0.5f}, Set.of(1, 3)},
            {new float[] {nan, ninf, 3f}, Set.of(2)},
            {new float[] {1f, inf, 2f, inf, nan}, Set.of(1, 3)},
            {new float[] {ninf, inf}, Set.of(1)},
        };
        for (Object[] c : cases) {
            float[] logits = (float[]) c[0];
            @SuppressWarnings("unchecked")
            Set<Integer> allowed = (Set<Integer>) c[1];
            for (int topK : new int[] {0, 1, 2, 10}) {
                for (float topP : new float[] {1f, 0.9f, 1e-6f}) {
                    TemperatureSampler s = new TemperatureSampler(0.7f, topK, topP, new SplittableRandom(topK));
                    Set<Integer> seen = new HashSet<>();
                    for (int i = 0; i < 200; i++) {
                        seen.add(s.sample(logits.clone()));
                    }
                    assertThat(allowed).as("%s, top-k %d, top-p %s", Arrays.toString(logits), topK, topP).containsAll(seen);
                    if (topK != 1 && topP == 1f) {
                        assertThat(seen).as("%s, top-k %d", Arrays.toString(logits), topK).isEqualTo(allowed);
                    }
                }
            }
        }
    }

    @Test
    void aTopPBelowOneOverNKeepsTheMostLikelyToken() {
        // Equal logits and top-p < 1/n: llama2.c's cut-off, (1 - p) / (n - 1) of the mass, is above
        // every candidate's share and dropped them all.
        float[] logits = {0.5f, 0.5f, 0.5f, 0.5f};
        TemperatureSampler s = new TemperatureSampler(1f, 0, 0.1f, new SplittableRandom(3));
        for (int i = 0; i < 50; i++) {
            assertThat(s.sample(logits.clone())).isBetween(0, 3);
        }
    }

    @Test
    void topKOneAndTinyTopPAreGreedy() {
        float[] logits = {0.1f, 2.5f, 2.4f, -1f, 2.5f};
        for (long seed = 0; seed < 50; seed++) {
            TemperatureSampler k1 = new TemperatureSampler(1.5f, 1, 1f, new java.util.SplittableRandom(seed));
            TemperatureSampler p0 = new TemperatureSampler(1.5f, 0, 1e-6f, new java.util.SplittableRandom(seed));
            assertThat(k1.sample(logits.clone())).isEqualTo(1);
            assertThat(p0.sample(logits.clone())).isEqualTo(1);
        }
    }

    @Test
    void samplingFollowsTheSoftmax() {
        // logits ln(1), ln(2), ln(3), ln(4): probabilities 0.1, 0.2, 0.3, 0.4 at temperature 1.
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
        TemperatureSampler s = new TemperatureSampler(1f, 0, 1f, new java.util.SplittableRandom(7));
        int[] counts = new int[4];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[s.sample(logits.clone())]++;
        }
        for (int t = 0; t < 4; t++) {
            assertThat(counts[t] / (double) n).as("token " + t).isCloseTo((t + 1) / 10.0,
                    org.assertj.core.api.Assertions.within(0.01));
        }
        // top-k 2 keeps tokens 3 and 2 (4:3); top-p 0.5 keeps 3 and 2 (0.4 + 0.3 >= 0.5).
        for (TemperatureSampler cut : List.of(new TemperatureSampler(1f, 2, 1f, new java.util.SplittableRandom(8)),
                new TemperatureSampler(1f, 0, 0.5f, new java.util.SplittableRandom(8)))) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[cut.sample(logits.clone())]++;
            }
            assertThat(counts[0] + counts[1]).isZero();
            assertThat(counts[3] / (double) n).isCloseTo(4 / 7.0, org.assertj.core.api.Assertions.within(0.01));
        }
    }

    @Test
    void repetitionPenaltyScalesRecentTokensOnce() {
        float[] l = {2f, -2f, 1f};
        new dev.bitnet.runtime.sampling.RepetitionPenalty(2f).apply(l, new int[] {0, 1, 0}, 3);
        assertThat(l).containsExactly(1f, -4f, 1f);
    }

    @Test
    void stopStringFilterHoldsBackPossibleStarts() {
        StringBuilder out = new StringBuilder();
        StopStringFilter f = new StopStringFilter(List.of("\nUser:"), out::append);
        assertThat(f.accept("Hello\nUs")).isFalse();
        assertThat(out.toString()).isEqualTo("Hello");
        assertThat(f.accept("ual")).isFalse();
        assertThat(out.toString()).isEqualTo("Hello\nUsual");
        assertThat(f.accept(" end\nUser: more")).isTrue();
        assertThat(f.text()).isEqualTo("Hello\nUsual end");
        assertThat(out.toString()).isEqualTo(f.text());
    }
}
