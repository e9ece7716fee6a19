package dev.bitnet.bench.regression;

import static dev.bitnet.bench.regression.Fixtures.K;
import static dev.bitnet.bench.regression.Fixtures.thrpt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.bitnet.bench.regression.Pairing.CrossPair;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

class PairingTest {

    @Test
    void pairsTheFixtureByConventionAndTable() throws IOException {
        Pairing p = Pairing.of(JmhResultsFile.read(Fixtures.file("current.json")), Pairing.CROSS_PAIRS);

        assertThat(p.ratios())
                .extracting(Ratio::kind, Ratio::name, r -> BenchResult.paramsText(r.params()), Ratio::value)
                .containsExactly(
                        tuple(Ratio.Kind.VECTOR_SCALAR, "BinaryMatVecBenchmark", "shape=512x2048", 3.5),   // vector(), scalar()
                        tuple(Ratio.Kind.VECTOR_SCALAR, "BinaryMatVecBenchmark", "shape=1024x4096", 2.5),
                        tuple(Ratio.Kind.VECTOR_SCALAR, "BinaryMatMulBenchmark.batch", "shape=512x2048", 3.5), // vectorBatch, scalarBatch
                        tuple(Ratio.Kind.VECTOR_SCALAR, "EndToEndBenchmark.decode", "context=128 kernels=vector threads=1", 1.8),
                        tuple(Ratio.Kind.ONE_BIT_FLOAT, "matVec (vector kernels)", "shape=512x2048", 20.0),
                        tuple(Ratio.Kind.OURS_REFERENCE, "GPT-2 encode (bitnet/jtokkit)", "-", 2.0));
        assertThat(p.unpaired()).containsExactly(
                "BinaryMatMulBenchmark.vectorEach [shape=512x2048] thrpt t1: no scalarEach with the same params, mode and threads in this run",
                "FloatMatVecBenchmark.vector [shape=512x2048] thrpt t1: no scalar with the same params, mode and threads in this run",
                "BinaryMatVecBenchmark.vector [shape=1024x4096] thrpt t1: no FloatMatVecBenchmark.vector with equal shared params, mode and threads in this run (matVec (vector kernels))",
                // the fixture has no float twin: both EndToEnd decodes lack their table partner
                "EndToEndBenchmark.decode [context=128 kernels=scalar threads=1] thrpt t1: no FloatTwinBenchmark.decode with equal shared params, mode and threads in this run (1-bit/float end-to-end decode)",
                "EndToEndBenchmark.decode [context=128 kernels=vector threads=1] thrpt t1: no FloatTwinBenchmark.decode with equal shared params, mode and threads in this run (1-bit/float end-to-end decode)");
    }

    @Test
    void ratioErrorAddsRelativeErrorsInQuadrature() throws IOException {
        Ratio r = Pairing.of(JmhResultsFile.read(Fixtures.file("current.json")), List.of()).ratios().getFirst();
        // 140000 ± 1400 over 40000 ± 400: 1% and 1%
        assertThat(r.error()).isCloseTo(3.5 * Math.sqrt(2) * 0.01, within(1e-12));
    }

    @Test
    void allThreeMethodNamingFormsPair() {
        var results = List.of(
                thrpt("x.A.scalar", 10, "ops/s", Map.of()),
                thrpt("x.A.vector", 40, "ops/s", Map.of()),
                thrpt("x.A.dotScalar", 10, "ops/s", Map.of()),
                thrpt("x.A.dotVector", 30, "ops/s", Map.of()),
                thrpt("x.A.scalarPrefill", 10, "ops/s", Map.of()),
                thrpt("x.A.vectorPrefill", 20, "ops/s", Map.of()),
                // not the convention: the words must stand apart
                thrpt("x.A.vectorize", 20, "ops/s", Map.of()),
                thrpt("x.A.bivector", 20, "ops/s", Map.of()));
        Pairing p = Pairing.of(results, List.of());
        assertThat(p.ratios()).extracting(Ratio::name, Ratio::value).containsExactly(
                tuple("A", 4.0), tuple("A.dot", 3.0), tuple("A.prefill", 2.0));
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
        Map<String, String> shape = Map.of("shape", "512x2048");
        var results = List.of(
                // 2 us/op = 500,000 ops/s against 1000 ns/op = 1,000,000 ops/s
                new BenchResult("x.A.stepScalar", Mode.AverageTime, 1, new TreeMap<>(), 2, Double.NaN, "us/op"),
                new BenchResult("x.A.stepVector", Mode.AverageTime, 1, new TreeMap<>(), 1000, Double.NaN, "ns/op"),
                thrpt(K + "BinaryMatVecBenchmark.vector", 1000, "ops/ms", shape),
                thrpt(K + "FloatMatVecBenchmark.vector", 250_000, "ops/s", shape));
        Pairing p = Pairing.of(results, Pairing.CROSS_PAIRS);
        assertThat(p.ratios()).extracting(Ratio::value).containsExactly(2.0, 4.0);
    }

    @Test
    void kernelsParamPairsAsKernelDoes() {
        var results = List.of(
                thrpt("x.E.prefill", 10, "ops/s", Map.of("kernels", "scalar", "threads", "2")),
                thrpt("x.E.prefill", 30, "ops/s", Map.of("kernels", "vector", "threads", "2")));
        assertThat(Pairing.of(results, List.of()).ratios()).singleElement()
                .satisfies(r -> assertThat(BenchResult.paramsText(r.params())).isEqualTo("kernels=vector threads=2"))
                .extracting(Ratio::value).isEqualTo(3.0);
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
    void crossPairsMatchOnSharedParamsAndReportAmbiguityAndLoneDenominators() {
        List<CrossPair> table = List.of(new CrossPair(Ratio.Kind.ONE_BIT_FLOAT, "dot 1-bit/float", "x.Bits.dot", "x.Floats.dot"));
        var results = List.of(
                // only on the numerator's side, "unroll" does not stop the match
                thrpt("x.Bits.dot", 100, "ops/s", Map.of("d", "0", "n", "64", "unroll", "4")),
                thrpt("x.Floats.dot", 5, "ops/s", Map.of("d", "0", "n", "64")),
                // "n" is not shared: both float results with d=1 fit
                thrpt("x.Bits.dot", 100, "ops/s", Map.of("d", "1")),
                thrpt("x.Floats.dot", 5, "ops/s", Map.of("d", "1", "n", "7")),
                thrpt("x.Floats.dot", 5, "ops/s", Map.of("d", "1", "n", "9")));
        Pairing p = Pairing.of(results, table);
        assertThat(p.ratios()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Ratio.Kind.ONE_BIT_FLOAT);
            assertThat(r.value()).isEqualTo(20.0);
            assertThat(BenchResult.paramsText(r.params())).isEqualTo("d=0 n=64 unroll=4");
        });
        assertThat(p.unpaired()).containsExactly(
                "Bits.dot [d=1] thrpt t1: 2 results of Floats.dot match its shared params; pair ambiguous (dot 1-bit/float)",
                "Floats.dot [d=1 n=7] thrpt t1: no Bits.dot paired with it in this run (dot 1-bit/float)",
                "Floats.dot [d=1 n=9] thrpt t1: no Bits.dot paired with it in this run (dot 1-bit/float)");
    }
}
