package dev.bitnet.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelConfigTest {

    @Test
    void aShapeKnowsItsPresetAtAnyContext() {
        assertThat(ModelConfig.preset("75m").presetName()).contains("75m");
        assertThat(ModelConfig.preset("tiny").withContext(64).presetName()).contains("tiny");
        assertThat(new ModelConfig(256, 128, 2, 4, 256, 64, TokenizerKind.BYTES).presetName()).isEmpty();
    }

    @Test
    void presetsAreTheSpecsTable() {
        assertThat(ModelConfig.presetNames()).containsExactly("tiny", "75m", "300m");
        assertThat(ModelConfig.preset("tiny")).isEqualTo(new ModelConfig(256, 256, 4, 4, 768, 256, TokenizerKind.BYTES));
        assertThat(ModelConfig.preset("75m")).isEqualTo(new ModelConfig(50257, 512, 12, 8, 2048, 1024, TokenizerKind.GPT2));
        assertThat(ModelConfig.preset("300m")).isEqualTo(new ModelConfig(50257, 1024, 16, 16, 4096, 1024, TokenizerKind.GPT2));
        assertThat(ModelConfig.preset("tiny").dHead()).isEqualTo(64);
        assertThat(ModelConfig.preset("300m").dHead()).isEqualTo(64);
    }

    @Test
    void tinyHasExactly3499008Parameters() {
        assertThat(ModelConfig.preset("tiny").parameterCount()).isEqualTo(3_499_008L);
    }

    @Test
    void parameterCountsMatchTheSpecsTensorList() {
        for (String name : ModelConfig.presetNames()) {
            ModelConfig c = ModelConfig.preset(name);
            assertThat(c.parameterCount()).as(name).isEqualTo(countFromSpec(c));
        }
        assertThat(countFromSpec(ModelConfig.preset("tiny"))).isEqualTo(3_499_008L);
        // The spec's table rounds: ~76 M and ~320 M.
        assertThat(ModelConfig.preset("75m").parameterCount() / 1e6).isCloseTo(76, within(0.5));
        assertThat(ModelConfig.preset("300m").parameterCount() / 1e6).isCloseTo(320, within(0.5));
        assertThat(countFromSpec(ModelConfig.preset("75m"))).isEqualTo(76_336_802L);
        assertThat(countFromSpec(ModelConfig.preset("300m"))).isEqualTo(320_459_938L);
    }

    /** MODEL.md's parameters, tensor by tensor (tied embedding counted once, ALiBi slopes fixed). */
    private static long countFromSpec(ModelConfig c) {
        long v = c.vocabSize();
        long d = c.dModel();
        long f = c.dFf();
        long block = 3 * (d * d + d + d);                       // q, k, v: W[d, d], alpha[d], theta[d]
        block += d * d + d + d;                                 // attention output: W, alpha, b
        block += 2 * (f * d + f + f);                           // gate, up: W[F, d], alpha[F], theta[F]
        block += d * f + d + d;                                 // down: W[d, F], alpha[d], b[d]
        block += d + d;                                         // gamma of RMSNorm_attn, RMSNorm_ffn
        long embeddingAndHead = v * d + d + v + v;              // E, e_scale, alpha_v, b_v
        long finalNorm = d;
        return c.nLayers() * block + embeddingAndHead + finalNorm;
    }

    @Test
    void unknownPresetNamesTheKnownOnes() {
        assertThatThrownBy(() -> ModelConfig.preset("1b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1b'").hasMessageContaining("tiny").hasMessageContaining("300m");
    }

    @Test
    void withContextChangesOnlyTheContext() {
        ModelConfig c = ModelConfig.preset("tiny").withContext(4096);
        assertThat(c.context()).isEqualTo(4096);
        assertThat(c.withContext(256)).isEqualTo(ModelConfig.preset("tiny"));
        assertThatThrownBy(() -> c.withContext(0)).hasMessageContaining("context").hasMessageContaining("got 0");
    }

    @Test
    void everySizeMustBePositiveAndTheMessageNamesFieldAndValue() {
        String[] fields = {"vocab_size", "d_model", "n_layers", "n_heads", "d_ff", "context"};
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, ModelConfig.MAX_DIMENSION + 1}) {
            for (int f = 0; f < fields.length; f++) {
                int[] v = {256, 256, 4, 4, 768, 256};
                v[f] = bad;
                assertThatThrownBy(() -> new ModelConfig(v[0], v[1], v[2], v[3], v[4], v[5], TokenizerKind.BYTES))
                        .as("%s = %d", fields[f], bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(fields[f]).hasMessageContaining("got " + bad);
            }
        }
        assertThat(new ModelConfig(256, 256, 1, 1, 1, ModelConfig.MAX_DIMENSION, TokenizerKind.BYTES).context())
                .isEqualTo(ModelConfig.MAX_DIMENSION);
    }

    @Test
    void dModelMustBeDivisibleByTheHeads() {
        assertThatThrownBy(() -> new ModelConfig(256, 250, 4, 4, 768, 256, TokenizerKind.BYTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("d_model").hasMessageContaining("n_heads")
                .hasMessageContaining("250").hasMessageContaining("n_heads=4");
    }

    @Test
    void vocabularyMustMatchTheTokenizer() {
        assertThatThrownBy(() -> new ModelConfig(50257, 256, 4, 4, 768, 256, TokenizerKind.BYTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocab_size").hasMessageContaining("must be 256").hasMessageContaining("bytes")
                .hasMessageContaining("got 50257");
        assertThatThrownBy(() -> new ModelConfig(256, 512, 12, 8, 2048, 1024, TokenizerKind.GPT2))
                .hasMessageContaining("must be 50257").hasMessageContaining("gpt2").hasMessageContaining("got 256");
        assertThatThrownBy(() -> new ModelConfig(256, 256, 4, 4, 768, 256, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> new ModelConfig(0, 256, -2, 4, 768, 256, TokenizerKind.BYTES))
                .hasMessageContaining("vocab_size").hasMessageContaining("n_layers");
    }
}
