package dev.bitnet.bench.regression;

import static dev.bitnet.bench.regression.Fixtures.K;
import static dev.bitnet.bench.regression.Fixtures.thrpt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

class PairingTest {

    private static final Map<String, String> S2048 = Map.of("cols", "2048", "rows", "2048");

    @Test
    void pairsTheFixtureByConventionAndTable() throws IOException {
        Pairing p = Pairing.of(JmhResultsFile.read(Fixtures.file("current.json")), CrossPair.ONE_BIT_VS_FLOAT);

        assertThat(p.ratios())
                .extracting(r -> r.kind(), r -> r.name(), r -> BenchResult.paramsText(r.params()), Ratio::value)
                .containsExactly(
                        tuple(RatioKind.VECTOR_SCALAR, "BinaryMatVecBenchmark.matVec", "cols=2048 rows=2048", 3.5),
                        tuple(RatioKind.VECTOR_SCALAR, "BinaryMatVecBenchmark.matVec", "cols=8192 rows=2048", 2.5),
                        tuple(RatioKind.VECTOR_SCALAR, "FloatMatVecBenchmark.matVec", "cols=2048 rows=2048", 3.5),
                        tuple(RatioKind.VECTOR_SCALAR, "DecodeBenchmark.decode", "kernel=vector preset=75m threads=1", 1.8),
                        tuple(RatioKind.ONE_BIT_FLOAT, "matVec 1-bit/float (vector)", "cols=2048 rows=2048", 20.0),
                        tuple(RatioKind.ONE_BIT_FLOAT, "matVec 1-bit/float (scalar)", "cols=2048 rows=2048", 20.0));
        assertThat(p.unpaired()).containsExactly(
                "BinaryMatVecBenchmark.prefillVector [cols=2048 rows=2048] thrpt t1: no prefillScalar with the same params, mode and threads in this run",
                "BinaryMatVecBenchmark.matVecVector [cols=8192 rows=2048] thrpt t1: no FloatMatVecBenchmark.matVecVector with equal shared params, mode and threads in this run (matVec 1-bit/float (vector))",
                "BinaryMatVecBenchmark.matVecScalar [cols=8192 rows=2048] thrpt t1: no FloatMatVecBenchmark.matVecScalar with equal shared params, mode and threads in this run (matVec 1-bit/float (scalar))");
    }

    @Test
    void ratioErrorAddsRelativeErrorsInQuadrature() throws IOException {
        Ratio r = Pairing.of(JmhResultsFile.read(Fixtures.file("current.json")), List.of()).ratios().getFirst();
        // 140 ± 1.4 over 40 ± 0.4: 1% and 1%
        assertThat(r.error()).isCloseTo(3.5 * Math.sqrt(2) * 0.01, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void lowerCaseMethodsNamedVectorAndScalarPairUnderTheClassName() {
        var results = List.of(
                thrpt("x.RooflineBenchmark.scalar", 10, "ops/s", Map.of()),
                thrpt("x.RooflineBenchmark.vector", 40, "ops/s", Map.of()));
        Pairing p = Pairing.of(results, List.of());
        assertThat(p.ratios()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("RooflineBenchmark");
            assertThat(r.value()).isEqualTo(4.0);
        });
        assertThat(p.unpaired()).isEmpty();
    }

    @Test
    void differentParamsModeOrThreadsDoNotPair() {
        var results = List.of(
                thrpt("x.A.dotScalar", 10, "ops/s", Map.of("n", "7")),
                thrpt("x.A.dotVector", 40, "ops/s", Map.of("n", "65")),
                new BenchResult("x.B.dotScalar", Mode.AverageTime, 1, new TreeMap<>(), 1, Double.NaN, "us/op"),
                thrpt("x.B.dotVector", 40, "ops/s", Map.of()),
                new BenchResult("x.C.dotScalar", Mode.Throughput, 2, new TreeMap<>(), 1, Double.NaN, "ops/s"),
                thrpt("x.C.dotVector", 40, "ops/s", Map.of()));
        Pairing p = Pairing.of(results, List.of());
        assertThat(p.ratios()).isEmpty();
        assertThat(p.unpaired()).hasSize(6);
    }

    @Test
    void unitsAndTimeModesAreNormalisedToSpeed() {
        var results = List.of(
                // 2 us/op = 500,000 ops/s against 1,000 ops/ms = 1,000,000 ops/s
                new BenchResult("x.A.stepScalar", Mode.AverageTime, 1, new TreeMap<>(), 2, Double.NaN, "us/op"),
                new BenchResult("x.A.stepVector", Mode.AverageTime, 1, new TreeMap<>(), 1000, Double.NaN, "ns/op"),
                thrpt(K + "BinaryMatVecBenchmark.matVecVector", 1000, "ops/ms", S2048),
                thrpt(K + "FloatMatVecBenchmark.matVecVector", 250_000, "ops/s", S2048));
        Pairing p = Pairing.of(results, CrossPair.ONE_BIT_VS_FLOAT);
        assertThat(p.ratios()).extracting(Ratio::value).containsExactly(2.0, 4.0);
    }

    @Test
    void kernelParamPairsEveryOtherKernelWithScalar() {
        var results = List.of(
                thrpt("x.E.decode", 10, "ops/s", Map.of("kernel", "scalar", "threads", "2")),
                thrpt("x.E.decode", 30, "ops/s", Map.of("kernel", "vector", "threads", "2")),
                thrpt("x.E.decode", 50, "ops/s", Map.of("kernel", "vector4rows", "threads", "2")),
                thrpt("x.E.decode", 20, "ops/s", Map.of("kernel", "vector", "threads", "1")),
                thrpt("x.E.prefill", 20, "ops/s", Map.of("kernel", "scalar")));
        Pairing p = Pairing.of(results, List.of());
        assertThat(p.ratios()).extracting(r -> BenchResult.paramsText(r.params()), Ratio::value).containsExactly(
                tuple("kernel=vector threads=2", 3.0),
                tuple("kernel=vector4rows threads=2", 5.0));
        assertThat(p.unpaired()).containsExactly(
                "E.decode [kernel=vector threads=1] thrpt t1: no kernel=scalar with the same params, mode and threads in this run",
                "E.prefill [kernel=scalar] thrpt t1: no other kernel value with the same params, mode and threads in this run");
    }

    @Test
    void crossPairsMatchOnSharedParamsAndReportAmbiguity() {
        var results = List.of(
                thrpt(K + "BinaryMatVecBenchmark.matVecVector", 100, "ops/s", Map.of("cols", "2048", "rows", "2048", "unroll", "4")),
                thrpt(K + "FloatMatVecBenchmark.matVecVector", 5, "ops/s", S2048),
                // two float results both fit the shape of this one: ambiguous
                thrpt(K + "BinaryMatVecBenchmark.matVecScalar", 100, "ops/s", Map.of("cols", "2048")),
                thrpt(K + "FloatMatVecBenchmark.matVecScalar", 5, "ops/s", S2048),
                thrpt(K + "FloatMatVecBenchmark.matVecScalar", 5, "ops/s", Map.of("cols", "2048", "rows", "4096")));
        Pairing p = Pairing.of(results, CrossPair.ONE_BIT_VS_FLOAT);
        assertThat(p.ratios()).filteredOn(r -> r.kind() == RatioKind.ONE_BIT_FLOAT).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(20.0);
            assertThat(BenchResult.paramsText(r.params())).isEqualTo("cols=2048 rows=2048 unroll=4");
        });
        assertThat(p.unpaired()).contains(
                "BinaryMatVecBenchmark.matVecScalar [cols=2048] thrpt t1: 2 results of FloatMatVecBenchmark.matVecScalar match its shared params; pair ambiguous (matVec 1-bit/float (scalar))");
    }
}
