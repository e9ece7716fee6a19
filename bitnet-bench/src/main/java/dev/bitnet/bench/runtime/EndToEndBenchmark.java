package dev.bitnet.bench.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.ModelOptions;
import dev.bitnet.runtime.Session;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * The runtime end to end on a seeded random model of the 75m preset's shape (gpt2 tokenizer):
 * decode tokens/s at a fixed context, prefill tokens/s of a 512-token prompt, and load time.
 *
 * <p>Decode at context C runs with an attention window of C on a session already holding more
 * than C tokens, so every measured token attends over exactly C keys (the steady state of a
 * long generation). One decode operation is one generated token: forward pass, output head and
 * greedy sampling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A random 75m model takes a few seconds to write per fork; the warm-up covers C2 compiling the forward pass.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Module flag prepended so that -jvmArgsAppend cannot drop it; -Xms = -Xmx and AlwaysPreTouch keep
// heap growth out of the measurement.
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class EndToEndBenchmark {

    private static final String R50K = "/com/knuddels/jtokkit/r50k_base.tiktoken";
    private static final int PROMPT = 512;

    /** A random 75m-shape model file, written once per fork. */
    @State(Scope.Benchmark)
    public static class ModelFile {
        Path file;

        @Setup(Level.Trial)
        public void write() throws IOException {
            file = Files.createTempFile("bitnet-75m-", ".bit2");
            RandomModel.write(ModelConfig.preset("75m"), gpt2(), 75, file);
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** A loaded model and one session, for decoding and prefill. */
    @State(Scope.Benchmark)
    public static class Loaded {
        @Param({"vector", "scalar"})
        public String kernels;

        @Param({"1", "2"})
        public int threads;

        @Param({"128", "1024"})
        public int context;

        BitNetModel model;
        Session session;
        int[] prompt;
        int[] next = new int[1];

        @Setup(Level.Trial)
        public void load(ModelFile f) throws IOException {
            model = BitNetModel.load(f.file, ModelOptions.builder().kernels(kernels(kernels)).threads(threads)
                    .attentionWindow(context).build());
            session = model.newSession();
            prompt = tokens(PROMPT, model.config().vocabSize());
            // Fill the window (and a little more) so every decoded token sees exactly `context` keys.
            session.logits(tokens(context + 8, model.config().vocabSize()));
            next[0] = 11;
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
            model.close();
        }
    }

    /** One generated token at the fixed context. */
    @Benchmark
    public int decode(Loaded s) {
        GenerationResult r = s.session.generate(s.next, GenerationOptions.greedy(1), GenerationListener.NONE);
        return r.generatedTokens();
    }

    /** A 512-token prompt from an empty session, up to the logits of its last token (score: tokens/s). */
    @Benchmark
    @OperationsPerInvocation(PROMPT)
    public int prefill(Loaded s) {
        s.session.reset();
        return s.session.generate(s.prompt, GenerationOptions.greedy(0), GenerationListener.NONE).promptTokens();
    }

    /** Mapping, checksum verification and shape checks of the 11 MB file (warm page cache). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int load(ModelFile f) throws IOException {
        try (BitNetModel m = BitNetModel.load(f.file)) {
            return m.config().dModel();
        }
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

    static Gpt2Tokenizer gpt2() {
        try (InputStream in = EndToEndBenchmark.class.getResourceAsStream(R50K)) {
            if (in == null) {
                throw new IllegalStateException(R50K + " not on the classpath (jtokkit)");
            }
            return Gpt2Tokenizer.fromTiktoken(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
