package dev.bitnet.bench.regression;

import static dev.bitnet.bench.regression.Fixtures.thrpt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.bitnet.bench.regression.Report.AbsoluteChange;
import dev.bitnet.bench.regression.Report.RatioVerdict;
import dev.bitnet.bench.regression.Report.Verdict;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

class ReportTest {

    @Test
    void judgesTheFixtureRunAgainstItsBaseline() throws IOException {
        Report report = judge(0.10);

        assertThat(report.ratios())
                .extracting(v -> v.ratio().name() + " " + BenchResult.paramsText(v.ratio().params()), RatioVerdict::baseline, RatioVerdict::verdict)
                .containsExactly(
                        // both scores 20% higher in the baseline, same speed-up: not a regression
                        tuple("BinaryMatVecBenchmark shape=512x2048", 3.5, Verdict.OK),
                        // 3.0 -> 2.5
                        tuple("BinaryMatVecBenchmark shape=1024x4096", 3.0, Verdict.REGRESSION),
                        // 2.5 -> 3.5
                        tuple("BinaryMatMulBenchmark.batch shape=512x2048", 2.5, Verdict.IMPROVED),
                        // 2.0 -> 1.8: exactly the threshold, not more
                        tuple("EndToEndBenchmark.decode context=128 kernels=vector threads=1", 2.0, Verdict.OK),
                        // 28 -> 20
                        tuple("matVec (vector kernels) shape=512x2048", 28.0, Verdict.REGRESSION),
                        // both tokenizers 10% faster: the same 2.0
                        tuple("GPT-2 encode (bitnet/jtokkit) -", 2.0, Verdict.OK));
        assertThat(report.regressions()).extracting(RatioVerdict::change)
                .containsExactly(2.5 / 3.0 - 1, 20.0 / 28.0 - 1);
        assertThat(report.exitCode()).isEqualTo(Report.EXIT_REGRESSION);
        assertThat(report.ratios()).noneMatch(RatioVerdict::noisy); // 1.4% errors
        assertThat(report.notRun()).containsExactly("vector/scalar BinaryMatVecBenchmark thrpt t1 {shape=4096x1024}");
    }

    @Test
    void absoluteChangesAreShownButNeverFailTheRun() throws IOException {
        Report report = judge(0.10);

        assertThat(report.absolutes()).extracting(a -> a.result().shortName(), AbsoluteChange::verdict).containsExactly(
                tuple("BinaryMatVecBenchmark.scalar", Verdict.REGRESSION),      // 48000 -> 40000 ops/s
                tuple("BinaryMatVecBenchmark.scalar", Verdict.OK),
                tuple("BinaryMatVecBenchmark.vector", Verdict.REGRESSION),      // 168000 -> 140000
                tuple("BinaryMatVecBenchmark.vector", Verdict.REGRESSION),      // 36000 -> 30000
                tuple("BinaryMatMulBenchmark.scalarBatch", Verdict.OK),
                tuple("BinaryMatMulBenchmark.vectorBatch", Verdict.IMPROVED),   // 75000 -> 105000
                tuple("BinaryMatMulBenchmark.vectorEach", Verdict.NEW),
                tuple("FloatMatVecBenchmark.vector", Verdict.IMPROVED),         // 6000 -> 7000
                tuple("EndToEndBenchmark.decode", Verdict.OK),
                tuple("EndToEndBenchmark.decode", Verdict.OK),                  // 100 -> 90: exactly -10%
                tuple("EndToEndBenchmark.load", Verdict.REGRESSION),            // 20 -> 25 ms/op
                tuple("TokenizerBenchmark.bitnet", Verdict.IMPROVED),           // 3.6 -> 4.0
                tuple("TokenizerBenchmark.jtokkit", Verdict.IMPROVED));         // 1.8 -> 2.0
        assertThat(report.absolutes().get(10).change()).isCloseTo(-0.2, within(1e-12));

        // the same run against a baseline whose ratios equal its own but every score is 2x: exit 0
        List<BenchResult> current = JmhResultsFile.read(Fixtures.file("current.json"));
        List<BenchResult> doubled = current.stream().map(r -> new BenchResult(r.benchmark(), r.mode(), r.threads(),
                r.params(), r.unit().startsWith("ops/") ? 2 * r.score() : r.score() / 2, r.error(), r.unit())).toList();
        Report drift = Report.judge(current, doubled, 0.10, Pairing.CROSS_PAIRS, null);
        assertThat(drift.absolutes()).extracting(AbsoluteChange::verdict).containsOnly(Verdict.REGRESSION);
        assertThat(drift.ratios()).extracting(RatioVerdict::verdict).containsOnly(Verdict.OK);
        assertThat(drift.exitCode()).isEqualTo(Report.EXIT_OK);
    }

    @Test
    void aLooserThresholdLetsTheSmallerDropPass() throws IOException {
        // -16.7% passes at 20%, -28.6% does not
        Report report = judge(0.20);
        assertThat(report.regressions()).extracting(v -> v.ratio().name()).containsExactly("matVec (vector kernels)");
        assertThat(judge(0.30).exitCode()).isEqualTo(Report.EXIT_OK);
    }

    @Test
    void thresholdEdges() {
        // baseline speed-up 4.0; threshold 25%: 3.0 is exactly at it, just below is a regression
        assertThat(verdict(4.0, 3.0, 0.25)).isEqualTo(Verdict.OK);
        assertThat(verdict(4.0, Math.nextDown(3.0), 0.25)).isEqualTo(Verdict.REGRESSION);
        assertThat(verdict(4.0, 5.0, 0.25)).isEqualTo(Verdict.OK);
        assertThat(verdict(4.0, Math.nextUp(5.0), 0.25)).isEqualTo(Verdict.IMPROVED);
        assertThat(verdict(4.0, 4.0, 0.25)).isEqualTo(Verdict.OK);
    }

    @Test
    void ratiosWithErrorsWiderThanTheThresholdAreMarkedNoisy() {
        // 10% and 5% relative errors: the ratio's is 11.2%, wider than a 10% threshold, not than 12%
        var now = List.of(
                new BenchResult("x.A.dotScalar", Mode.Throughput, 1, new TreeMap<>(), 10, 1, "ops/s"),
                new BenchResult("x.A.dotVector", Mode.Throughput, 1, new TreeMap<>(), 20, 1, "ops/s"));
        RatioVerdict v = Report.judge(now, now, 0.10, List.of(), null).ratios().getFirst();
        assertThat(v.verdict()).isEqualTo(Verdict.OK);
        assertThat(v.noisy()).isTrue();
        assertThat(ReportText.render(Report.judge(now, now, 0.10, List.of(), null))).contains("ok (noisy)", "1 ratio(s) marked (noisy)");
        assertThat(Report.judge(now, now, 0.12, List.of(), null).ratios().getFirst().noisy()).isFalse();
    }

    @Test
    void withoutBaselineNothingIsJudged() throws IOException {
        Report report = Report.judge(JmhResultsFile.read(Fixtures.file("current.json")), null, 0.10, Pairing.CROSS_PAIRS, null);
        assertThat(report.hasBaseline()).isFalse();
        assertThat(report.ratios()).hasSize(6).extracting(RatioVerdict::verdict).containsOnly(Verdict.NOT_JUDGED);
        assertThat(report.ratios()).extracting(RatioVerdict::change).allMatch(c -> Double.isNaN(c));
        assertThat(report.absolutes()).extracting(AbsoluteChange::verdict).containsOnly(Verdict.NOT_JUDGED);
        assertThat(report.exitCode()).isEqualTo(Report.EXIT_OK);
    }

    @Test
    void ratiosMissingFromTheBaselineAreNew() {
        var now = List.of(thrpt("x.A.dotScalar", 10, "ops/s", Map.of()), thrpt("x.A.dotVector", 1, "ops/s", Map.of()));
        var before = List.of(thrpt("x.A.dotScalar", 10, "ops/s", Map.of()));
        Report report = Report.judge(now, before, 0.10, List.of(), null);
        assertThat(report.ratios()).singleElement().extracting(RatioVerdict::verdict).isEqualTo(Verdict.NEW);
        assertThat(report.exitCode()).isEqualTo(Report.EXIT_OK);
    }

    @Test
    void thresholdMustBeAFraction() {
        assertThatThrownBy(() -> Report.judge(List.of(), null, 10, List.of(), null))
                .hasMessage("threshold must be between 0 and 1 (exclusive), got 10.0");
        assertThatThrownBy(() -> Report.judge(List.of(), null, 0, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textShowsEveryColumnAndTheVerdict() throws IOException {
        String text = ReportText.render(judge(0.10));
        assertThat(text)
                .contains("kind", "benchmark", "params", "ratio", "baseline ratio", "change", "verdict", "score ± error", "unit")
                .contains("CAVEAT")
                .containsPattern("vector/scalar +BinaryMatVecBenchmark +shape=1024x4096 +thrpt +2\\.5 ± 0\\.03536 +3 +-16\\.7% +REGRESSION")
                .containsPattern("EndToEndBenchmark\\.load +- +avgt +25 +ms/op +20 +-20\\.0% +slower\\*")
                .contains("2 REGRESSION(S): ratio(s) fell by more than 10%:")
                .contains("  1-bit/float matVec (vector kernels) [shape=512x2048]: 28 -> 20 (-28.6%)")
                .contains("1 baseline ratio(s) not measured in this run");
    }

    @Test
    void numbersKeepFourSignificantDigits() {
        assertThat(ReportText.number(133_812.345)).isEqualTo("133800");
        assertThat(ReportText.number(3.49871)).isEqualTo("3.499");
        assertThat(ReportText.number(2.0)).isEqualTo("2");
        assertThat(ReportText.number(1.0898e-6)).isEqualTo("1.090e-06");
        assertThat(ReportText.number(Double.NaN)).isEqualTo("-");
    }

    private static Verdict verdict(double baseline, double current, double threshold) {
        var before = List.of(thrpt("x.A.dotScalar", 1, "ops/s", Map.of()), thrpt("x.A.dotVector", baseline, "ops/s", Map.of()));
        var now = List.of(thrpt("x.A.dotScalar", 1, "ops/s", Map.of()), thrpt("x.A.dotVector", current, "ops/s", Map.of()));
        return Report.judge(now, before, threshold, List.of(), null).ratios().getFirst().verdict();
    }

    private static Report judge(double threshold) throws IOException {
        return Report.judge(JmhResultsFile.read(Fixtures.file("current.json")),
                JmhResultsFile.read(Fixtures.file("baseline.json")), threshold, Pairing.CROSS_PAIRS, null);
    }
}
