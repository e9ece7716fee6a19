package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.bitnet.train.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatmulPrecisionTest {

    @Test
    void namesRoundTripAndBadOnesAreNamed() {
        for (MatmulPrecision p : MatmulPrecision.values()) {
            assertThat(MatmulPrecision.of(p.cliName())).isEqualTo(p);
        }
        assertThatThrownBy(() -> MatmulPrecision.of("bf16")).hasMessage("--precision: must be fp32 or tf32, got bf16");
    }

    @Test
    void theTf32FlagReachesTheLoadedLibtorch() throws Throwable {
        Engine.getInstance();
        try {
            assertThat(MatmulPrecision.setCublasTf32(true)).isTrue();
            assertThat(MatmulPrecision.setCublasTf32(false)).isFalse();
        } finally {
            MatmulPrecision.setCublasTf32(false);
        }
    }

    @Test
    void tf32IsRefusedOnTheCpu() {
        MatmulPrecision.FP32.applyTo(Device.cpu());
        assertThatThrownBy(() -> MatmulPrecision.TF32.applyTo(Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a CUDA device");
        TrainConfig d = TrainConfig.defaults(10);
        assertThatThrownBy(() -> new TrainConfig(d.steps(), d.batch(), d.accum(), d.lr(), d.minLrRatio(), d.warmup(),
                d.weightDecay(), d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(),
                d.alphaVInit(), d.floatAblation(), d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(), "cpu",
                "tf32", d.threads())).hasMessageContaining("--precision: tf32 needs --device gpu");
    }
}
