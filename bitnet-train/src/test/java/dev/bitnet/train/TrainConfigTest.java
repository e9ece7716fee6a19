package dev.bitnet.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainConfigTest {

    private static TrainConfig on(String device) {
        return with(device, 0.0, false);
    }

    private static TrainConfig with(String device, double attentionRamp, boolean floatAblation) {
        TrainConfig d = TrainConfig.defaults(10);
        return new TrainConfig(d.steps(), d.batch(), d.accum(), d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(), attentionRamp,
                d.distillFrom(), d.distillWeight(), d.noiseEnd(),
                d.alphaVInit(), floatAblation, d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(), device,
                d.precision(), d.threads());
    }

    @Test
    void theNoiseEndIsAScaleInZeroToOne() {
        TrainConfig d = TrainConfig.defaults(10);
        for (double bad : new double[] {0.0, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> new TrainConfig(d.steps(), d.batch(), d.accum(), d.lr(), d.minLrRatio(),
                    d.warmup(), d.weightDecay(), d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(),
                    d.tauStart(), d.tauEnd(), 0.0, null, 0.5, bad, d.alphaVInit(), false, d.evalEvery(),
                    d.evalBatches(), d.checkpointEvery(), d.seed(), "cpu", d.precision(), d.threads()))
                    .hasMessageContaining("--noise-end: must be in (0, 1], got " + bad);
        }
    }

    @Test
    void theAttentionRampIsAFractionOfTheRunForThe1BitModel() {
        assertThat(with("cpu", 0.5, false).attentionRamp()).isEqualTo(0.5);
        assertThatThrownBy(() -> with("cpu", 1.5, false))
                .hasMessageContaining("--attention-ramp: must be a fraction of the run in [0, 1], got 1.5");
        assertThatThrownBy(() -> with("cpu", 0.5, true))
                .hasMessageContaining("--attention-ramp: the float twin's attention is always soft");
    }

    @Test
    void theDeviceNamesAGpuIndexOrTheCpu() {
        assertThat(on("cpu").gpuIndex()).isEqualTo(-1);
        assertThat(on("gpu").gpuIndex()).isZero();
        assertThat(on("gpu:3").gpuIndex()).isEqualTo(3);
    }

    @Test
    void aListOfDevicesNamesTheReplicasOfADataParallelRun() {
        TrainConfig d = TrainConfig.defaults(10);
        TrainConfig c = new TrainConfig(d.steps(), d.batch(), 4, d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(), d.alphaVInit(),
                d.floatAblation(), d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(), "gpu:2,gpu:0",
                d.precision(), d.threads());
        assertThat(c.devices()).containsExactly("gpu:2", "gpu:0");
        assertThat(c.gpuIndex()).isEqualTo(2);
        assertThat(on("gpu:1").devices()).containsExactly("gpu:1");
        // accum is 1 in the defaults: two devices cannot share one micro-batch.
        assertThatThrownBy(() -> on("gpu:0,gpu:1")).hasMessageContaining(
                "--accum: the 1 micro-batches of an update do not split evenly over the 2 devices of gpu:0,gpu:1");
        for (String bad : List.of("gpu,gpu:0", "cpu,gpu:1", "gpu:0,", "gpu:0;gpu:1")) {
            assertThatThrownBy(() -> on(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--device").hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> on("gpu,gpu:0")).hasMessageContaining("names a GPU twice");
        assertThatThrownBy(() -> on("cpu,gpu:1")).hasMessageContaining("mixes the CPU and GPUs");
    }
}
