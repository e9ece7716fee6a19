package dev.bitnet.bench.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;

class JmhResultsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsAFileJmhWrote() throws IOException {
        List<BenchResult> results = JmhResultsFile.read(Fixtures.file("jmh-1.37-demo-output.json"));

        assertThat(results).hasSize(6);
        BenchResult first = results.getFirst();
        assertThat(first.benchmark()).isEqualTo("demo.DemoBenchmark.sumScalar");
        assertThat(first.shortName()).isEqualTo("DemoBenchmark.sumScalar");
        assertThat(first.mode()).isEqualTo(Mode.Throughput);
        assertThat(first.threads()).isEqualTo(1);
        assertThat(first.params()).containsExactly(Map.entry("words", "7"));
        assertThat(first.score()).isEqualTo(125884.6213431746);
        assertThat(first.error()).isNaN(); // JMH wrote "NaN" as a string: two iterations
        assertThat(first.unit()).isEqualTo("ops/ms");
        assertThat(first.opsPerSecond()).isEqualTo(125884.6213431746 * 1000);
        BenchResult last = results.getLast();
        assertThat(last.mode()).isEqualTo(Mode.AverageTime);
        assertThat(last.unit()).isEqualTo("ms/op");
        assertThat(last.opsPerSecond()).isCloseTo(1 / 1.0898344210027708E-9, withinPercentage(1e-9));
    }

    @Test
    void readsTheHandWrittenFixtures() throws IOException {
        List<BenchResult> results = JmhResultsFile.read(Fixtures.file("current.json"));

        assertThat(results).hasSize(13);
        assertThat(results.get(2).benchmark()).isEqualTo("dev.bitnet.bench.kernel.BinaryMatVecBenchmark.vector");
        assertThat(results.get(2).params()).containsExactly(Map.entry("shape", "512x2048"));
        assertThat(results.get(2).score()).isEqualTo(140000.0);
        assertThat(results.get(2).error()).isEqualTo(1400.0);
        BenchResult load = results.get(10);
        assertThat(load.params()).isEmpty(); // no "params" member at all
        assertThat(load.mode()).isEqualTo(Mode.AverageTime);
        assertThat(load.opsPerSecond()).isEqualTo(40.0); // 25 ms/op
        // the primary metric, not the secondary (an @AuxCounters rate in the same unit)
        assertThat(results.getLast().score()).isEqualTo(2.0);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> JmhResultsFile.read(missing))
                .isInstanceOf(JmhResultsFile.BadFileException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void truncatedJsonIsNamed() throws IOException {
        String whole = Files.readString(Fixtures.file("current.json"));
        Path file = write("truncated.json", whole.substring(0, whole.length() / 2));
        assertThatThrownBy(() -> JmhResultsFile.read(file))
                .isInstanceOf(JmhResultsFile.BadFileException.class)
                .hasMessageStartingWith(file + ": not valid JSON");
    }

    @Test
    void emptyFileIsNotAResultsFile() throws IOException {
        Path file = write("empty.json", "");
        assertThatThrownBy(() -> JmhResultsFile.read(file))
                .hasMessage(file + ": not a JMH results file: expected a JSON array of results");
    }

    @Test
    void objectInsteadOfArrayIsNamed() throws IOException {
        Path file = write("summary.json", "{\"threshold\": 0.1, \"ratios\": []}");
        assertThatThrownBy(() -> JmhResultsFile.read(file))
                .hasMessage(file + ": not a JMH results file: expected a JSON array of results");
    }

    @Test
    void missingPrimaryMetricNamesTheResult() throws IOException {
        Path file = write("nometric.json",
                "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\", \"threads\": 1, \"params\": {\"n\": \"3\"}}]");
        assertThatThrownBy(() -> JmhResultsFile.read(file))
                .hasMessage(file + ": result 0 (a.B.c): missing primaryMetric");
    }

    @Test
    void badFieldsAreNamed() throws IOException {
        assertProblem(row("thrpt", "\"fast\"", "ops/s"), "result 0 (a.B.c): primaryMetric.score: missing or not a number: \"fast\"");
        assertProblem(row("thrpt", "1.5", "B/op"), "result 0 (a.B.c): primaryMetric.scoreUnit: not ops/<time> or <time>/op: 'B/op'");
        assertProblem(row("quick", "1.5", "ops/s"), "result 0 (a.B.c): mode: unknown JMH mode 'quick'");
        assertProblem(row("thrpt", "0.0", "ops/s"), "result 0 (a.B.c): primaryMetric.score: expected a positive number, got 0.0");
        assertProblem("[{\"mode\": \"thrpt\"}]", "result 0: benchmark: missing or not a string");
        assertProblem("[{\"benchmark\": \"nodots\"}]", "result 0 (nodots): benchmark: expected Class.method, got 'nodots'");
        assertProblem("[42]", "result 0: not a JSON object");
    }

    private void assertProblem(String json, String problem) throws IOException {
        Path file = write("bad.json", json);
        assertThatThrownBy(() -> JmhResultsFile.read(file))
                .isInstanceOf(JmhResultsFile.BadFileException.class)
                .hasMessage(file + ": " + problem);
    }

    private static String row(String mode, String score, String unit) {
        return "[{\"benchmark\": \"a.B.c\", \"mode\": \"" + mode + "\", \"threads\": 1, \"primaryMetric\": "
                + "{\"score\": " + score + ", \"scoreError\": \"NaN\", \"scoreUnit\": \"" + unit + "\"}}]";
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
