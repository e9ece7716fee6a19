package dev.bitnet.bench.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;

class WeightTrafficTest {

    private static final ModelConfig M75 = ModelConfig.preset("75m");

    // 75m (V 50257, d 512, L 12, F 2048), by hand:
    // body bits per layer: q, k, v, o 4 x 512 x 512 + gate, up 2 x 2048 x 512 + down 512 x 2048 = 4,194,304
    private static final long BODY_BITS_75M = 12 * 4_194_304L;       // 50,331,648
    private static final long HEAD_BITS_75M = 50_257L * 512;         // 25,731,584: the tied embedding
    // body bytes: per layer 2 gains 2 x 2048, q/k/v bits 3 x 32,768 + ranges 3 x 4,096, o bits 32,768 +
    // alpha, bias 2 x 2,048, gate/up bits 2 x 131,072 + ranges 2 x 16,384, down bits 131,072 + alpha, bias
    // 2 x 2,048 = 581,632; plus e_scale 2,048, ALiBi slopes 32, final gain 2,048
    private static final long BODY_BYTES_75M = 12 * 581_632L + 2_048 + 32 + 2_048;     // 6,983,712
    private static final long HEAD_BYTES_75M = HEAD_BITS_75M / 8 + 2 * 50_257L * 4;  // bits + alpha + bias

    @Test
    void aDecoded75mTokenRunsEveryMatrixAndTheHead() {
        WeightTraffic t = WeightTraffic.decode(M75);

        assertThat(t.bitsPerToken()).isEqualTo(76_063_232.0);   // 1.19 M words of 64 bits
        assertThat((double) BODY_BITS_75M + HEAD_BITS_75M).isEqualTo(t.bitsPerToken());
        assertThat(t.bytesPerToken()).isEqualTo(10_602_216.0);
        assertThat((double) BODY_BYTES_75M + HEAD_BYTES_75M).isEqualTo(t.bytesPerToken());
    }

    @Test
    void prefillRunsTheHeadOnceAndReadsTheBodyOncePerChunk() {
        WeightTraffic t = WeightTraffic.prefill(M75, 512, 64);

        assertThat(t.bitsPerToken()).isEqualTo(BODY_BITS_75M + HEAD_BITS_75M / 512.0);         // 50,381,905
        assertThat(t.bytesPerToken()).isEqualTo((8.0 * BODY_BYTES_75M + HEAD_BYTES_75M) / 512); // 116,187.9
        // a partial last chunk reads the body once more
        assertThat(WeightTraffic.prefill(M75, 65, 64).bytesPerToken())
                .isEqualTo((2.0 * BODY_BYTES_75M + HEAD_BYTES_75M) / 65);
        // one token is a decode step
        assertThat(WeightTraffic.prefill(M75, 1, 64)).isEqualTo(WeightTraffic.decode(M75));
    }

    @Test
    void tinyAndRowsPaddedToWholeWords() {
        // tiny: V 256, d 256, L 4, F 768
        assertThat(WeightTraffic.decode(ModelConfig.preset("tiny")).bitsPerToken())
                .isEqualTo(4 * (4 * 256 * 256 + 3 * 768 * 256) + 256 * 256);
        // d = 96: rows of 96 bits take two words, 128 bits, as the file stores them
        ModelConfig odd = new ModelConfig(256, 96, 1, 1, 96, 16, TokenizerKind.BYTES);
        assertThat(WeightTraffic.decode(odd).bitsPerToken()).isEqualTo(7 * 96 * 128 + 256 * 128);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> WeightTraffic.prefill(M75, 0, 64)).hasMessageContaining("tokens >= 1");
        assertThatThrownBy(() -> new WeightTraffic(0, 1)).hasMessageContaining("must be positive");
    }
}
