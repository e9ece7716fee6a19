package dev.bitnet.train.data;

import dev.bitnet.core.config.TokenizerKind;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One-off measurement (not a test): preparation speed of one corpus file, three times, each into a
 * fresh cache, then once more from the cache. Wall time and process CPU time, since the machine
 * may be shared.
 *
 * <pre>{@code
 * mvn -o -q -pl bitnet-train -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp-\${project.artifactId}.txt
 * java -cp bitnet-train/target/test-classes:bitnet-train/target/classes:$(cat /tmp/cp-bitnet-train.txt) \
 *     dev.bitnet.train.data.PrepareSpeed corpus.txt gpt2 /tmp
 * }</pre>
 */
public final class PrepareSpeed {

    private PrepareSpeed() {}

    /** Arguments: corpus file, tokenizer ({@code bytes} or {@code gpt2}), folder for the temporary caches. */
    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        TokenizerKind kind = TokenizerKind.parse(args[1]);
        double mb = Files.size(in) / 1e6;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int run = 0; run < 3; run++) {
            Path cache = Files.createTempDirectory(Path.of(args[2]), "prepare-speed");
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            PreparedCorpus c = CorpusPreparer.prepare(List.of(in), List.of(), 0.01, kind, cache);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long t1 = System.nanoTime();
            CorpusPreparer.prepare(List.of(in), List.of(), 0.01, kind, cache);
            double cached = (System.nanoTime() - t1) / 1e9;
            System.out.printf("%s %s: %.2f MB -> %d tokens (train %d, val %d) in %.2f s = %.2f MB/s"
                            + " (%.2f CPU s = %.1f MB per CPU s); from the cache in %.3f s%n",
                    kind, in.getFileName(), mb, c.trainTokens() + c.valTokens(), c.trainTokens(), c.valTokens(),
                    wall, mb / wall, cpu, mb / cpu, cached);
        }
    }
}
