package dev.bitnet.bench.floattwin;

import dev.bitnet.bench.runtime.EndToEndBenchmark;
import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode tokens/s of the {@link FloatTwinModel float twin}, the same architecture as the 1-bit
 * model with float32 weights, at the shapes of the {@code tiny} and {@code 75m} presets, paired by
 * {@code ./bitnet bench} with {@code runtime.EndToEndBenchmark.decode} of the same preset as the
 * 1-bit/float ratio "1-bit/float end-to-end decode".
 *
 * <p>As in EndToEndBenchmark, decode at context C attends over exactly C keys (a window of C on
 * caches holding more than C tokens; C clamped to the preset's trained context, so tiny at 1024
 * attends over 256), and one operation is one generated token: forward pass,
 * head and greedy sampling. The setup checks the model's logits against a plain double
 * reference and prints the model sizes: the twin's float32 parameters against the 1-bit
 * {@code .bit2} file {@link RandomModel} writes for the same config.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The same settings as EndToEndBenchmark, so that the two sides of the pair are measured alike.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Module flag prepended so that -jvmArgsAppend cannot drop it; -Xms = -Xmx and AlwaysPreTouch keep
// heap growth out of the measurement. The weights are off-heap (300 MB at 75m).
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FloatTwinBenchmark {

    private static final long SEED = 75;

    /** A random twin of one preset's shapes with full caches; the params are EndToEndBenchmark's. */
    @State(Scope.Benchmark)
    public static class Twin {
        /** No 300m: its 1.3 GB of float32 take most of a minute per fork to set up. */
        @Param({"tiny", "75m"})
        public String preset;

        @Param({"1", "2"})
        public int threads;

        @Param({"128", "1024"})
        public int context;

        FloatTwinModel model;
        int next;

        @Setup(Level.Trial)
        public void load() throws IOException {
            ModelConfig config = ModelConfig.preset(preset);
            // the same keys per token as the 1-bit side: the context clamped to T
            int window = EndToEndBenchmark.decodeWindow(config, context);
            model = FloatTwinModel.random(config, SEED, threads, window);
            FloatTwinReference.check(model, tokens(Math.min(4, window), config.vocabSize()));
            System.out.printf("%n%s model size: float twin %d bytes (float32 parameters), 1-bit %d bytes (.bit2 file)%n",
                    preset, model.weightBytes(), bit2Bytes(config));
            // Every measured token attends over exactly `window` keys.
            model.fillCaches(window + 8L, SEED);
            next = 11;
        }

        int step() {
            next = FloatTwinModel.argmax(model.decode(next));
            return next;
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    /** One generated token of the twin at the fixed context. */
    @Benchmark
    public int decode(Twin s) {
        return s.step();
    }

    /** Size of the 1-bit random model of this config, written to a temporary file and deleted. */
    static long bit2Bytes(ModelConfig config) throws IOException {
        Path file = Files.createTempFile("bitnet-twin-", ".bit2");
        try {
            RandomModel.write(config, Exporter.tokenizer(config.tokenizer()), SEED, file);
            return Files.size(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static int[] tokens(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(n);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
