package dev.bitnet.train.optim;

import dev.bitnet.train.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SchedulesTest {

    private final TrainConfig c = TrainConfig.defaults(1000); // lr 5e-3, warmup 50, floor 10 %, tau 1 -> 0.25

    @Test
    void learningRateWarmsUpLinearlyThenFollowsTheCosineToTheFloor() {
        assertThat(c.warmup()).isEqualTo(50);
        assertThat(Schedules.lr(0, c)).isCloseTo(5e-3 / 51, within(1e-15));
        assertThat(Schedules.lr(24, c)).isCloseTo(5e-3 * 25 / 51, within(1e-15));
        assertThat(Schedules.lr(50, c)).isCloseTo(5e-3, within(1e-15));
        // Half way through the decay the cosine is at the midpoint of peak and floor.
        int mid = 50 + (999 - 50) / 2;
        double expectedMid = 5e-4 + 0.5 * (1 + Math.cos(Math.PI * (mid - 50) / 949.0)) * 4.5e-3;
        assertThat(Schedules.lr(mid, c)).isCloseTo(expectedMid, within(1e-15)).isCloseTo(2.75e-3, within(1e-5));
        assertThat(Schedules.lr(999, c)).isCloseTo(5e-4, within(1e-15));
        for (int s = 51; s < 1000; s++) {
            assertThat(Schedules.lr(s, c)).isLessThanOrEqualTo(Schedules.lr(s - 1, c));
        }
    }

    @Test
    void tauFollowsTheCosineFromStartToEnd() {
        assertThat(Schedules.tau(0, c)).isEqualTo(1.0);
        assertThat(Schedules.tau(999, c)).isCloseTo(0.25, within(1e-15));
        assertThat(Schedules.tau(333, c)).isCloseTo(0.25 + 0.375 * (1 + Math.cos(Math.PI * 333 / 999)), within(1e-15));
        for (int s = 1; s < 1000; s++) {
            assertThat(Schedules.tau(s, c)).isLessThan(Schedules.tau(s - 1, c));
        }
    }

    @Test
    void attentionHardnessRisesLinearlyOverTheRampThenStaysOne() {
        assertThat(Schedules.hardness(0, c)).as("no ramp: hard from the start").isEqualTo(1.0);
        TrainConfig ramp = new TrainConfig(c.steps(), c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(),
                c.weightDecay(), c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(),
                0.4, null, 0.5, null, c.alphaVInit(), false, c.evalEvery(), c.evalBatches(), c.checkpointEvery(), c.seed(), "cpu",
                "fp32", 0);
        assertThat(Schedules.hardness(0, ramp)).isEqualTo(0.0);
        assertThat(Schedules.hardness(100, ramp)).isCloseTo(0.25, within(1e-15));
        assertThat(Schedules.hardness(399, ramp)).isLessThan(1.0);
        assertThat(Schedules.hardness(400, ramp)).isEqualTo(1.0);
        assertThat(Schedules.hardness(999, ramp)).isEqualTo(1.0);
    }

    @Test
    void theNoiseScaleFollowsACosineFromOneToItsEndOrStaysOne() {
        assertThat(Schedules.noiseScale(999, c)).as("the default").isCloseTo(0.01, within(1e-15));
        assertThat(Schedules.noiseScale(500, noiseEnd(null))).as("a checkpoint from before the option").isEqualTo(1.0);
        TrainConfig scaled = noiseEnd(0.2);
        assertThat(Schedules.noiseScale(0, scaled)).isEqualTo(1.0);
        assertThat(Schedules.noiseScale(999, scaled)).isCloseTo(0.2, within(1e-15));
        assertThat(Schedules.noiseScale(333, scaled)).isCloseTo(0.2 + 0.4 * (1 + Math.cos(Math.PI * 333 / 999)),
                within(1e-15));
    }

    private TrainConfig noiseEnd(Double end) {
        return new TrainConfig(c.steps(), c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(), c.weightDecay(),
                c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(), 0.0, null, 0.5,
                end, c.alphaVInit(), false, c.evalEvery(), c.evalBatches(), c.checkpointEvery(), c.seed(), "cpu", "fp32",
                0);
    }

    @Test
    void scheduleIsAPureFunctionOfStepAndConfig() {
        TrainConfig same = TrainConfig.defaults(1000);
        for (int s = 0; s < 1000; s += 37) {
            assertThat(Schedules.lr(s, same)).isEqualTo(Schedules.lr(s, c));
            assertThat(Schedules.tau(s, same)).isEqualTo(Schedules.tau(s, c));
        }
    }
}
