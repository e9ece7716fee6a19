package dev.bitnet.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bitnet.core.config.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark's states set up, run once and tear down on the tiny preset, as a JMH trial would. */
class EndToEndBenchmarkTest {

    private final EndToEndBenchmark bench = new EndToEndBenchmark();

    @Test
    void tinyDecodesWithTheContextClampedToItsTrainedContext() throws Exception {
        EndToEndBenchmark.ModelFile f = modelFile("tiny");
        Path file = f.file;
        try {
            EndToEndBenchmark.Decoding d = new EndToEndBenchmark.Decoding();
            d.kernels = "vector";
            d.threads = 2;
            d.context = 1024;
            d.load(f);
            try {
                long before = d.session.position();
                assertThat(before).isEqualTo(256 + 8);   // the window, clamped to T = 256, and a little more
                assertThat(bench.decode(d)).isEqualTo(1);
                assertThat(bench.decode(d)).isEqualTo(1);
                assertThat(d.session.position()).isGreaterThan(before);
            } finally {
                d.close();
            }
            EndToEndBenchmark.Prefilling p = new EndToEndBenchmark.Prefilling();
            p.kernels = "scalar";
            p.threads = 1;
            p.load(f);
            try {
                assertThat(bench.prefill(p)).isEqualTo(EndToEndBenchmark.PROMPT);
                assertThat(bench.prefill(p)).isEqualTo(EndToEndBenchmark.PROMPT);  // reset between calls
            } finally {
                p.close();
            }
            assertThat(bench.load(f)).isEqualTo(256);
        } finally {
            f.delete();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void decodeWindowIsTheContextUpToTheTrainedOne() {
        assertThat(EndToEndBenchmark.decodeWindow(ModelConfig.preset("tiny"), 128)).isEqualTo(128);
        assertThat(EndToEndBenchmark.decodeWindow(ModelConfig.preset("tiny"), 1024)).isEqualTo(256);
        assertThat(EndToEndBenchmark.decodeWindow(ModelConfig.preset("75m"), 1024)).isEqualTo(1024);
    }

    private static EndToEndBenchmark.ModelFile modelFile(String preset) throws Exception {
        EndToEndBenchmark.ModelFile f = new EndToEndBenchmark.ModelFile();
        f.preset = preset;
        f.write();
        assertThat(Files.size(f.file)).isPositive();
        return f;
    }
}
