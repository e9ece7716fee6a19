package dev.bitnet.bench.runtime;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.ModelOptions;
import dev.bitnet.runtime.Session;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
 * The runtime end to end on a seeded random model of each preset's shape ({@code tiny} with the
 * byte tokenizer, {@code 75m} and {@code 300m} with gpt2): decode tokens/s at a fixed context,
 * prefill tokens/s of a {@value #PROMPT}-token prompt, and load time. Vector and scalar kernels,
 * 1 and 2 threads.
 *
 * <p>Decode at context C runs with an attention window of C on a session already holding more
 * than C tokens, so every measured token attends over exactly C keys (the steady state of a
 * long generation). C is clamped to the preset's trained context T ({@link #decodeWindow}): tiny
 * (T = 256) at {@code context=1024} attends over 256 keys, its whole trained window. One decode
 * operation is one generated token: forward pass, output head and greedy sampling.
 *
 * <p>Prefill runs with the model's default window, its trained context T: the prompt's positions
 * attend over everything before them, except tiny's beyond position 256, which slide over the
 * last 256 keys as the runtime does past T.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A random model takes up to a few seconds to write per fork (300m: ~2 s); the warm-up covers C2
// compiling the forward pass.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Module flag prepended so that -jvmArgsAppend cannot drop it; -Xms = -Xmx and AlwaysPreTouch keep
// heap growth out of the measurement.
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class EndToEndBenchmark {

    /** Tokens of the prefill prompt. */
    public static final int PROMPT = 512;
    /** The random models' seed. */
    private static final long SEED = 75;

    /** A random model of the preset's shape, written to a temporary file once per trial and deleted after it. */
    @State(Scope.Benchmark)
    public static class ModelFile {
        @Param({"tiny", "75m", "300m"})
        public String preset;

        ModelConfig config;
        Path file;

        @Setup(Level.Trial)
        public void write() throws IOException {
            config = ModelConfig.preset(preset);
            file = Files.createTempFile("bitnet-" + preset + "-", ".bit2");
            RandomModel.write(config, Exporter.tokenizer(config.tokenizer()), SEED, file);
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** A loaded model and one session. */
    @State(Scope.Benchmark)
    public abstract static class Loaded {
        @Param({"vector", "scalar"})
        public String kernels;

        @Param({"1", "2"})
        public int threads;

        BitNetModel model;
        Session session;

        void open(ModelFile f, int window) throws IOException {
            model = BitNetModel.load(f.file, ModelOptions.builder().kernels(kernels(kernels)).threads(threads)
                    .attentionWindow(window).build());
            session = model.newSession();
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
            model.close();
        }
    }

    /** A session whose window (the context, clamped to T) is already full. */
    @State(Scope.Benchmark)
    public static class Decoding extends Loaded {
        @Param({"128", "1024"})
        public int context;

        int[] next = new int[1];

        @Setup(Level.Trial)
        public void load(ModelFile f) throws IOException {
            int window = decodeWindow(f.config, context);
            if (window != context) {
                System.out.printf("%n%s: context %d clamped to the trained context, %d keys per token%n",
                        f.preset, context, window);
            }
            open(f, window);
            // Fill the window (and a little more) so every decoded token sees exactly `window` keys.
            session.logits(tokens(window + 8, f.config.vocabSize()));
            next[0] = 11;
        }
    }

    /** A session with the default window (T) and the prompt. */
    @State(Scope.Benchmark)
    public static class Prefilling extends Loaded {
        int[] prompt;

        @Setup(Level.Trial)
        public void load(ModelFile f) throws IOException {
            open(f, f.config.context());
            prompt = tokens(PROMPT, f.config.vocabSize());
        }
    }

    /** One generated token at the fixed context. */
    @Benchmark
    public int decode(Decoding s) {
        GenerationResult r = s.session.generate(s.next, GenerationOptions.greedy(1), GenerationListener.NONE);
        return r.generatedTokens();
    }

    /** A {@value #PROMPT}-token prompt from an empty session, up to the logits of its last token (score: tokens/s). */
    @Benchmark
    @OperationsPerInvocation(PROMPT)
    public int prefill(Prefilling s) {
        s.session.reset();
        return s.session.generate(s.prompt, GenerationOptions.greedy(0), GenerationListener.NONE).promptTokens();
    }

    /** Mapping, checksum verification and shape checks of the file (warm page cache). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int load(ModelFile f) throws IOException {
        try (BitNetModel m = BitNetModel.load(f.file)) {
            return m.config().dModel();
        }
    }

    /**
     * Keys a decoded token attends over at {@code context}: the context clamped to the preset's
     * trained context T, beyond which the model was never trained to look.
     */
    public static int decodeWindow(ModelConfig config, int context) {
        return Math.min(context, config.context());
    }

    static BitKernels kernels(String name) {
        return switch (name) {
            case "vector" -> Kernels.panama();
            case "scalar" -> Kernels.scalar();
            default -> throw new IllegalArgumentException("kernels must be vector or scalar, got " + name);
        };
    }

    static int[] tokens(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(n);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab - 1); // never end-of-text
        }
        return t;
    }

}
