package dev.bitnet.bench.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bitnet.core.config.ModelConfig;
import org.junit.jupiter.api.Test;

class RooflineTest {

    // the AVX2 VM of docs/kernels.md: 142 G binary MAC/s (17.8 GB/s) in L1, 4.5 GB/s from memory
    private final Roofline vm = new Roofline(142e9, 4.5e9);

    @Test
    void boundsOfA75mDecodeStep() {
        WeightTraffic decode = WeightTraffic.decode(ModelConfig.preset("75m"));

        // 76,063,232 weight bits per token
        assertThat(vm.popcountTokensPerSecond(decode, 1)).isCloseTo(1866.87, within(0.01));
        assertThat(vm.popcountTokensPerSecond(decode, 2)).isCloseTo(2 * 1866.87, within(0.02));
        // 10,602,216 bytes per token, the same for any thread count
        assertThat(vm.memoryTokensPerSecond(decode)).isCloseTo(424.44, within(0.01));
    }

    @Test
    void boundsOfA75mPrefill() {
        WeightTraffic prefill = WeightTraffic.prefill(ModelConfig.preset("75m"), 512, 64);

        assertThat(vm.popcountTokensPerSecond(prefill, 1)).isCloseTo(142e9 / 50_381_905.0, within(1e-9));
        // each weight row serves a chunk of 64 positions: 38,730 tokens/s, far above the popcount bound
        assertThat(vm.memoryTokensPerSecond(prefill)).isCloseTo(4.5e9 / 116_187.890625, within(1e-9));
        assertThat(vm.memoryTokensPerSecond(prefill)).isGreaterThan(6 * vm.popcountTokensPerSecond(prefill, 2));
    }

    @Test
    void rejectsNonsense() {
        WeightTraffic decode = WeightTraffic.decode(ModelConfig.preset("tiny"));
        assertThatThrownBy(() -> vm.popcountTokensPerSecond(decode, 0)).hasMessageContaining("threads must be >= 1, got 0");
        assertThatThrownBy(() -> new Roofline(1e9, Double.NaN)).hasMessageContaining("memory NaN");
    }
}
