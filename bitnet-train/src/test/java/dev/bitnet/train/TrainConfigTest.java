package dev.bitnet.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainConfigTest {

    private static TrainConfig on(String device) {
        TrainConfig d = TrainConfig.defaults(10);
        return new TrainConfig(d.steps(), d.batch(), d.accum(), d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(), d.alphaVInit(),
                d.floatAblation(), d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(), device, d.precision(),
                d.threads());
    }

    @Test
    void theDeviceNamesAGpuIndexOrTheCpu() {
        assertThat(on("cpu").gpuIndex()).isEqualTo(-1);
        assertThat(on("gpu").gpuIndex()).isZero();
        assertThat(on("gpu:3").gpuIndex()).isEqualTo(3);
    }
}
