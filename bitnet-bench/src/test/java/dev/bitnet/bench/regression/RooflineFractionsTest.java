package dev.bitnet.bench.regression;

import static dev.bitnet.bench.regression.Fixtures.thrpt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import dev.bitnet.bench.regression.RooflineFractions.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

class RooflineFractionsTest {

    private static final String R = "dev.bitnet.bench.kernel.RooflineBenchmark.";
    private static final String E = "dev.bitnet.bench.runtime.EndToEndBenchmark.";

    // 4,000,000 passes/s over 4 KiB = 131.072 G bits/s; the scalar loop is slower and not the ceiling
    private static final List<BenchResult> ROOFLINE = List.of(
            thrpt(R + "xorPopcount", 4_000_000, "ops/s", Map.of("bytes", "4096")),
            thrpt(R + "xorPopcountScalar", 3_000_000, "ops/s", Map.of("bytes", "4096")),
            thrpt(R + "xorPopcount", 30, "ops/s", Map.of("bytes", "268435456")),
            // 20 passes/s over 256 MiB = 5.36870912 GB/s
            thrpt(R + "sum", 20, "ops/s", Map.of("bytes", "268435456")),
            thrpt(R + "sum", 12_000_000, "ops/s", Map.of("bytes", "4096")));

    private static final List<BenchResult> END_TO_END = List.of(
            thrpt(E + "decode", 900, "ops/s", Map.of("preset", "75m", "kernels", "vector", "threads", "2", "context", "1024")),
            // sample mode in ms/op: 0.2 ms per token = 5,000 tokens/s
            new BenchResult(E + "decode", Mode.SampleTime, 1,
                    new TreeMap<>(Map.of("preset", "tiny", "kernels", "scalar", "threads", "1", "context", "1024")),
                    0.2, Double.NaN, "ms/op"),
            thrpt(E + "prefill", 1500, "ops/s", Map.of("preset", "75m", "kernels", "vector", "threads", "1")),
            thrpt(E + "load", 50, "ops/s", Map.of("preset", "75m")),
            // an older run without presets: left out
            thrpt(E + "decode", 800, "ops/s", Map.of("kernels", "vector", "threads", "1", "context", "128")));

    @Test
    void everyEndToEndFigureAsAFractionOfBothBounds() {
        RooflineFractions f = RooflineFractions.of(all());

        assertThat(f.roofline().popcountBitsPerSecond()).isEqualTo(131.072e9);
        assertThat(f.roofline().memoryBytesPerSecond()).isEqualTo(5_368_709_120.0);
        assertThat(f.rows()).extracting(r -> r.result().methodName(), Row::preset, Row::keys)
                .containsExactly(tuple("decode", "75m", 1024), tuple("decode", "tiny", 256), tuple("prefill", "75m", 0));
        Row decode = f.rows().get(0);
        // 2 threads x 131.072e9 / 76,063,232 bits per token; 5.369e9 / 10,602,216 bytes per token
        assertThat(decode.popcountBound()).isCloseTo(3446.40, within(0.01));
        assertThat(decode.popcountFraction()).isCloseTo(900 / 3446.40, within(1e-5));
        assertThat(decode.memoryBound()).isCloseTo(506.38, within(0.01));
        assertThat(decode.memoryFraction()).isCloseTo(900 / 506.38, within(1e-4));
        // tiny: 3,473,408 bits per token on one thread
        Row tiny = f.rows().get(1);
        assertThat(tiny.tokensPerSecond()).isEqualTo(5000);
        assertThat(tiny.popcountBound()).isCloseTo(131.072e9 / 3_473_408, within(1e-6));
        // prefill: 50,381,905 bits per token
        assertThat(f.rows().get(2).popcountBound()).isCloseTo(131.072e9 / 50_381_905, within(1e-6));
        assertThat(f.endToEndResults()).isEqualTo(3);
    }

    @Test
    void theReportPrintsTheTableAndTheSummaryHoldsIt() {
        Report report = Report.judge(all(), null, 0.10, Pairing.CROSS_PAIRS, null);

        String text = ReportText.render(report);
        assertThat(text).contains("ROOFLINE of this run: popcount 131.1 G weight bits/s per core (data in L1), memory 5.369 GB/s")
                .contains("context=1024 kernels=scalar preset=tiny threads=1 (256 keys)")
                .contains("26.1%");                 // 900 of 3,446 tokens/s
        JsonObject summary = SummaryJson.of(report, Path.of("r.json"), null);
        JsonObject first = summary.getAsJsonObject("roofline").getAsJsonArray("rows").get(0).getAsJsonObject();
        assertThat(first.get("benchmark").getAsString()).isEqualTo(E + "decode");
        assertThat(first.get("keys").getAsInt()).isEqualTo(1024);
        assertThat(first.get("popcountFraction").getAsDouble()).isCloseTo(0.26114, within(1e-5));
    }

    @Test
    void endToEndWithoutTheRooflineGetsAHintAndNoRows() {
        RooflineFractions f = RooflineFractions.of(END_TO_END);

        assertThat(f.roofline()).isNull();
        assertThat(f.rows()).isEmpty();
        assertThat(ReportText.roofline(f)).contains("No roofline fractions").contains("-p bytes=4096,268435456");
        assertThat(SummaryJson.of(Report.judge(END_TO_END, null, 0.10, Pairing.CROSS_PAIRS, null), Path.of("r.json"), null)
                .get("roofline").isJsonNull()).isTrue();
        // and nothing at all without end-to-end figures
        assertThat(ReportText.roofline(RooflineFractions.of(ROOFLINE))).isEmpty();
    }

    private static List<BenchResult> all() {
        List<BenchResult> results = new ArrayList<>(ROOFLINE);
        results.addAll(END_TO_END);
        return results;
    }
}
