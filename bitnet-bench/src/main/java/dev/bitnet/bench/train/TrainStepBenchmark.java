package dev.bitnet.bench.train;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.loop.Trainer;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training tokens/s on CPU: one invocation is one whole update of the trainer
 * ({@link Trainer#step()}: forward, backward, clipping, AdamW, latent clamp) on seeded random
 * tokens, with the recipe defaults of {@code ./bitnet train}. Score: tokens/s (operations per
 * invocation = the update's tokens).
 *
 * <ul>
 *   <li>{@link #tiny}: the {@code tiny} preset at the trainer's default batch, {@value #TINY_BATCH}
 *       x 256 tokens.</li>
 *   <li>{@link #preset75m}: one {@code 75m} update of a single 1024-token window ({@value #M75_BATCH}
 *       x 1024), the smallest batch at the preset's trained context.</li>
 * </ul>
 *
 * <p>The presets are two methods, not a {@code @Param}: JMH's operations per invocation is a
 * constant per method, and the updates hold different numbers of tokens. {@code threads} is
 * PyTorch's intra- and inter-op thread count, which the engine reads once when it starts: each
 * value runs in a fork of its own, which JMH gives every parameter combination.
 *
 * <p>glibc's allocator settings of {@code ./bitnet train} ({@code MALLOC_*}, docs/training.md)
 * cannot be set from JMH: the forks inherit them from the launcher, which {@code ./bitnet bench}
 * sets; without them the setup prints a warning (docs/training.md measured 860 against 2,450
 * tokens/s for tiny on 2 threads).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// One update takes seconds (tiny 16 x 256 on one thread: ~3 s): each 10 s iteration holds a few.
// The first updates fill libtorch's allocator caches: two warm-up iterations cover them.
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
// Module flag prepended so that -jvmArgsAppend cannot drop it; the model lives in libtorch's native
// memory, the heap holds only the token windows; offline: the CPU libtorch comes from its jar.
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TrainStepBenchmark {

    /** Sequences per {@code tiny} update: the trainer's default {@code --batch}. */
    public static final int TINY_BATCH = 16;
    /** Tokens per {@code tiny} sequence: the preset's context. */
    public static final int TINY_CONTEXT = 256;
    /** Sequences per {@code 75m} update: one window. */
    public static final int M75_BATCH = 1;
    /** Tokens per {@code 75m} sequence: the preset's context. */
    public static final int M75_CONTEXT = 1024;
    /** Updates the schedules span: {@code ./bitnet train}'s default {@code --steps}. */
    static final int SCHEDULE_STEPS = 1000;
    /** Length of the random token stream the windows are drawn from. */
    static final int DATA_TOKENS = 1 << 20;

    /** A trainer of one preset on random tokens, its updates and their check. */
    @State(Scope.Benchmark)
    public abstract static class Training {
        @Param({"1", "2"})
        public int threads;

        RandomTokenTraining training;
        private String label;
        private Map<String, Double> before;
        private int updates;
        private double firstLoss;
        private double lastLoss;
        private Trainer.StepResult bad;

        void start(String preset, int batch, int context) throws IOException {
            ModelConfig model = ModelConfig.preset(preset);
            if (model.context() != context) {
                // The operations per invocation below are batch x this context.
                throw new IllegalStateException(preset + " has context " + model.context() + ", the benchmark counts "
                        + context + " tokens per sequence");
            }
            if (System.getenv("MALLOC_MMAP_THRESHOLD_") == null) {
                System.out.printf("%nwarning: MALLOC_MMAP_THRESHOLD_ is not set: glibc returns libtorch's buffers"
                        + " to the OS every update (run through ./bitnet bench, or see docs/training.md)%n");
            }
            label = preset + " " + batch + " x " + context + ", " + threads + (threads == 1 ? " thread" : " threads");
            training = RandomTokenTraining.start(model, config(SCHEDULE_STEPS, batch, threads), DATA_TOKENS);
            before = training.latentFingerprint();
        }

        double update() {
            Trainer.StepResult r = training.step();
            if (updates++ == 0) {
                firstLoss = r.loss();
            }
            lastLoss = r.loss();
            if (bad == null && (r.skipped() != null || !Double.isFinite(r.loss()))) {
                bad = r;
            }
            return r.loss();
        }

        /** Fails the trial if an update was skipped or not finite, or left a latent matrix unchanged. */
        @TearDown(Level.Trial)
        public void check() {
            try {
                if (updates == 0) {
                    return;
                }
                if (bad != null) {
                    throw new IllegalStateException(label + ": update " + bad.step() + " had loss " + bad.loss()
                            + ", gradient norm " + bad.gradNorm() + (bad.skipped() != null ? " (skipped)" : ""));
                }
                Map<String, Double> after = training.latentFingerprint();
                for (Map.Entry<String, Double> e : before.entrySet()) {
                    if (e.getValue().equals(after.get(e.getKey()))) {
                        throw new IllegalStateException(label + ": " + updates + " updates left " + e.getKey()
                                + " unchanged");
                    }
                }
                System.out.printf(Locale.ROOT, "%n%s: %d %s, loss %.4f -> %.4f, every latent matrix moved%n",
                        label, updates, updates == 1 ? "update" : "updates", firstLoss, lastLoss);
            } finally {
                training.close();
            }
        }
    }

    /** The {@code tiny} preset, {@value #TINY_BATCH} x 256 tokens per update. */
    public static class Tiny extends Training {
        @Setup(Level.Trial)
        public void setup() throws IOException {
            start("tiny", TINY_BATCH, TINY_CONTEXT);
        }
    }

    /** The {@code 75m} preset, {@value #M75_BATCH} x 1024 tokens per update. */
    public static class M75 extends Training {
        @Setup(Level.Trial)
        public void setup() throws IOException {
            start("75m", M75_BATCH, M75_CONTEXT);
        }
    }

    /** One {@code tiny} update (score: training tokens/s). */
    @Benchmark
    @OperationsPerInvocation(TINY_BATCH * TINY_CONTEXT)
    public double tiny(Tiny s) {
        return s.update();
    }

    /** One {@code 75m} update (score: training tokens/s). */
    @Benchmark
    @OperationsPerInvocation(M75_BATCH * M75_CONTEXT)
    public double preset75m(M75 s) {
        return s.update();
    }

    /**
     * The recipe defaults ({@link TrainConfig#defaults}) for a run of {@code steps} updates, at
     * {@code batch} sequences and {@code threads} PyTorch threads. The learning rate is tiny's for
     * both presets: it moves no cost.
     */
    static TrainConfig config(int steps, int batch, int threads) {
        TrainConfig d = TrainConfig.defaults(steps);
        return new TrainConfig(d.steps(), batch, d.accum(), d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(),
                d.alphaVInit(), d.floatAblation(), d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(),
                d.device(), d.precision(), threads);
    }
}
