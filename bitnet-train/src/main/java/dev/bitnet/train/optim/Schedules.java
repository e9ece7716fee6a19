package dev.bitnet.train.optim;

import dev.bitnet.train.TrainConfig;

/**
 * The learning-rate, attention-temperature, attention-hardness and noise-scale schedules: pure functions of the step, so a
 * resumed run recomputes them instead of storing them.
 */
public final class Schedules {

    private Schedules() {
    }

    /**
     * Learning rate of update {@code step} (0-based): linear warm-up to {@code c.lr()} over
     * {@code c.warmup()} steps, then a cosine to {@code c.lr() * c.minLrRatio()} at the last step.
     */
    public static double lr(int step, TrainConfig c) {
        if (step < c.warmup()) {
            return c.lr() * (step + 1) / (c.warmup() + 1);
        }
        double minLr = c.lr() * c.minLrRatio();
        int decaySteps = c.steps() - 1 - c.warmup();
        if (decaySteps <= 0) {
            return c.lr();
        }
        double progress = Math.min(1.0, (double) (step - c.warmup()) / decaySteps);
        return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (c.lr() - minLr);
    }

    /**
     * Attention temperature of update {@code step}: cosine from {@code c.tauStart()} at step 0 to
     * {@code c.tauEnd()} at the last step (MODEL.md, "Gumbel-hard pointer attention").
     */
    public static double tau(int step, TrainConfig c) {
        if (c.steps() <= 1) {
            return c.tauStart();
        }
        double progress = Math.min(1.0, (double) step / (c.steps() - 1));
        return c.tauEnd() + 0.5 * (1 + Math.cos(Math.PI * progress)) * (c.tauStart() - c.tauEnd());
    }

    /**
     * How hard the training forward's attention is at update {@code step}: 1 is the one-hot
     * pointer of MODEL.md, 0 the softmax of the noisy scores. It rises linearly from 0 over the
     * first {@code c.attentionRamp()} of the steps, then stays 1 (always 1 without a ramp).
     */
    public static double hardness(int step, TrainConfig c) {
        double rampSteps = c.attentionRamp() * c.steps();
        return rampSteps <= 0 ? 1.0 : Math.min(1.0, step / rampSteps);
    }

    /**
     * The scale of the Gumbel noise at update {@code step}: cosine from 1 at step 0 to
     * {@code c.noiseEnd()} at the last step; 1 throughout without {@code --noise-end}.
     */
    public static double noiseScale(int step, TrainConfig c) {
        if (c.noiseEnd() == null || c.steps() <= 1) {
            return 1.0;
        }
        double progress = Math.min(1.0, (double) step / (c.steps() - 1));
        return c.noiseEnd() + 0.5 * (1 + Math.cos(Math.PI * progress)) * (1.0 - c.noiseEnd());
    }
}
