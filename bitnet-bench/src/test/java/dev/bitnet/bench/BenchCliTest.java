package dev.bitnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.bench.regression.Cpu;
import dev.bitnet.bench.regression.JmhResultsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command on the fixture files with {@code --results}, so no benchmark runs. */
class BenchCliTest {

    @TempDir
    Path dir;

    private Path current;
    private Path baseline;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void copyFixtures() throws IOException {
        current = Files.copy(fixture("current.json"), dir.resolve("current.json"));
        baseline = Files.copy(fixture("baseline.json"), dir.resolve("baseline.json"));
    }

    @Test
    void regressionsExitWithOneAndWriteTheSummary() throws IOException {
        int status = run("bench", "--results", current.toString(), "--baseline", baseline.toString());

        assertThat(status).isEqualTo(1);
        assertThat(stdout()).contains("2 REGRESSION(S)").contains("Results: " + current);
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("current.summary.json"))).getAsJsonObject();
        assertThat(summary.get("regressions").getAsInt()).isEqualTo(2);
        assertThat(summary.get("threshold").getAsDouble()).isEqualTo(0.10);
        assertThat(summary.get("baseline").getAsString()).isEqualTo(baseline.toString());
        JsonObject second = summary.getAsJsonArray("ratios").get(1).getAsJsonObject();
        assertThat(second.get("kind").getAsString()).isEqualTo("vector/scalar");
        assertThat(second.get("name").getAsString()).isEqualTo("BinaryMatVecBenchmark");
        assertThat(second.getAsJsonObject("params").get("shape").getAsString()).isEqualTo("1024x4096");
        assertThat(second.get("numerator").getAsString()).isEqualTo("dev.bitnet.bench.kernel.BinaryMatVecBenchmark.vector");
        assertThat(second.get("denominator").getAsString()).isEqualTo("dev.bitnet.bench.kernel.BinaryMatVecBenchmark.scalar");
        assertThat(second.get("ratio").getAsDouble()).isEqualTo(2.5);
        assertThat(second.get("baselineRatio").getAsDouble()).isEqualTo(3.0);
        assertThat(second.get("verdict").getAsString()).isEqualTo("regression");
        assertThat(second.get("noisy").getAsBoolean()).isFalse();
        JsonObject tokenizer = summary.getAsJsonArray("absolute").get(10).getAsJsonObject();
        assertThat(tokenizer.get("scoreError").isJsonNull()).isTrue();
        assertThat(tokenizer.get("verdict").getAsString()).isEqualTo("slower");
        // 3 by convention, plus 2 EndToEnd decodes without their float twin (the fixture has none)
        assertThat(summary.getAsJsonArray("unpaired")).hasSize(5);
        assertThat(summary.getAsJsonArray("notRun")).hasSize(1);
    }

    @Test
    void noRegressionExitsWithZero() {
        assertThat(run("--results", current.toString(), "--baseline", baseline.toString(), "--threshold", "0.3")).isZero();
        assertThat(stdout()).contains("No regressions: no ratio fell by more than 30%.");
        assertThat(run("--results", current.toString())).isZero();
        assertThat(stdout()).contains("No baseline: nothing judged.");
    }

    @Test
    void savesTheResultsAsTheNextBaseline() throws IOException {
        Path next = dir.resolve("docs/bench-baseline.json");
        assertThat(run("--results", current.toString(), "--baseline", baseline.toString(), "--save-baseline", next.toString())).isEqualTo(1);
        assertThat(Files.readString(next)).isEqualTo(Files.readString(current));
        // saving over the baseline being judged against: it is read first
        assertThat(run("--results", current.toString(), "--baseline", baseline.toString(), "--save-baseline", baseline.toString())).isEqualTo(1);
        assertThat(Files.readString(baseline)).isEqualTo(Files.readString(current));
    }

    @Test
    void missingBaselineExitsWithTwoNamingTheFile() {
        Path missing = dir.resolve("docs/none.json");
        assertThat(run("--results", current.toString(), "--baseline", missing.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("bitnet bench: " + missing + ": no such file\n");
        assertThat(dir.resolve("current.summary.json")).doesNotExist();
    }

    @Test
    void malformedResultsExitWithTwoNamingTheFile() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "[{\"benchmark\": ");
        assertThat(run("--results", broken.toString(), "--baseline", baseline.toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("bitnet bench: " + broken + ": not valid JSON");
    }

    @Test
    void aRunThatMatchesNothingExitsWithTwoAndWritesNothing() {
        Path results = dir.resolve("run.json");
        String lock = System.getProperty("jmh.ignoreLock");
        System.setProperty("jmh.ignoreLock", "true"); // another JMH run on this machine must not change the answer
        try {
            assertThat(run("--include", "NoSuchBenchmarkAnywhere", "--out", results.toString())).isEqualTo(2);
        } finally {
            if (lock == null) System.clearProperty("jmh.ignoreLock"); else System.setProperty("jmh.ignoreLock", lock);
        }
        // JMH says so in its own words on stderr first
        assertThat(stderr()).endsWith("bitnet bench: no benchmark matches --include [NoSuchBenchmarkAnywhere]\n");
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("run."));
    }

    @Test
    void aBaselineFromAnotherCpuIsComparedButNotJudged() throws Exception {
        JmhResultsFile.stampCpu(baseline, new Cpu("AMD EPYC", List.of("avx2")));
        JmhResultsFile.stampCpu(current, new Cpu("AMD EPYC", List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vpopcntdq")));
        assertThat(run("--results", current.toString(), "--baseline", baseline.toString())).isZero();
        assertThat(stdout()).contains("compared with a baseline from another CPU, not judged")
                .contains("The baseline is from another CPU (baseline: AMD EPYC (avx2); this run: AMD EPYC (avx2 avx512f"
                        + " avx512bw avx512vl avx512_vpopcntdq)): the ratios are compared, 2 lower by more than 10%, but not judged")
                .contains(" lower ").doesNotContain("REGRESSION");
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("current.summary.json"))).getAsJsonObject();
        assertThat(summary.get("regressions").getAsInt()).isZero();
        assertThat(summary.get("otherCpu").getAsString()).startsWith("baseline: AMD EPYC (avx2); this run: ");
        assertThat(summary.getAsJsonArray("ratios").get(1).getAsJsonObject().get("verdict").getAsString()).isEqualTo("lower");

        // the same CPU: judged as before
        JmhResultsFile.stampCpu(baseline, new Cpu("AMD EPYC", List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vpopcntdq")));
        assertThat(run("--results", current.toString(), "--baseline", baseline.toString())).isEqualTo(1);
        assertThat(stdout()).contains("2 REGRESSION(S)");
        // stamping keeps the results: the same report as the unstamped files give
        assertThat(JmhResultsFile.read(current)).isEqualTo(JmhResultsFile.read(fixture("current.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench-baseline.json", "bench-baseline-avx512.json"})
    void theCommittedBaselinesNameTheirCpuAndNoPathOfTheMachine(String name) throws Exception {
        Path committed = Path.of("..", "docs", name); // surefire runs in the module's directory
        assertThat(JmhResultsFile.cpu(committed)).hasValueSatisfying(c -> assertThat(c.features()).isNotEmpty());
        assertThat(Files.readString(committed)).doesNotContain("\"/").doesNotContain("=/");
    }

    @Test
    void stampingDropsThePathsJmhRecords() throws Exception {
        Path file = dir.resolve("paths.json");
        Files.writeString(file, Files.readString(current).replace("\"-Dai.djl.offline=true\"",
                "\"-Dai.djl.offline=true\", \"-Dbitnet.default.model=/home/me/models/m.bit2\""));
        JmhResultsFile.stampCpu(file, new Cpu("AMD EPYC", List.of("avx2")));
        JsonObject first = JsonParser.parseString(Files.readString(file)).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(first.get("jvm").getAsString()).isEqualTo("java");
        assertThat(first.getAsJsonArray("jvmArgs").toString()).isEqualTo("[\"--add-modules=jdk.incubator.vector\",\"--enable-native-access=ALL-UNNAMED\",\"-Dai.djl.offline=true\",\"-Dbitnet.default.model=m.bit2\"]");
    }

    @Test
    void versionIsTheProjects() {
        assertThat(run("bench", "--version")).isZero();
        assertThat(stdout().strip()).isEqualTo(dev.bitnet.core.Version.line());
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(run("--results", current.toString(), "--threshold", "10")).isEqualTo(2);
        assertThat(stderr()).contains("--threshold must be a fraction between 0 and 1 (0.10 = 10%), got 10.0");
        assertThat(run("--results", current.toString(), "--quick")).isEqualTo(2);
        assertThat(stderr()).contains("with --results nothing is run");
        assertThat(run("--param", "shape")).isEqualTo(2);
        assertThat(stderr()).contains("--param: expected NAME=V1,V2,..., got 'shape'");
        assertThat(run("--include", "Binary[")).isEqualTo(2);
        assertThat(stderr()).contains("--include: not a regular expression: 'Binary['");
        assertThat(run("--threshold", "ten")).isEqualTo(2);
        assertThat(stderr()).contains("--threshold");
        assertThat(run("--no-such-option")).isEqualTo(2);
    }

    @Test
    void helpDocumentsEveryOption() {
        assertThat(run("bench", "--help")).isZero();
        assertThat(stdout()).contains("--include", "--param", "--quick", "--out", "--baseline", "--save-baseline", "--threshold", "--results",
                "Exit status: 0 no regression, 1", "--version");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return BenchCli.run(args, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path fixture(String name) {
        try {
            return Path.of(BenchCliTest.class.getResource("regression/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
