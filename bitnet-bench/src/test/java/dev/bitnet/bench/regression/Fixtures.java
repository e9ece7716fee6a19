package dev.bitnet.bench.regression;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;

/** The JSON fixtures next to this class, and results built in code for edge cases. */
final class Fixtures {

    static final String K = "dev.bitnet.bench.kernel.";

    private Fixtures() {}

    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A throughput result with no error estimate. */
    static BenchResult thrpt(String benchmark, double score, String unit, Map<String, String> params) {
        return new BenchResult(benchmark, Mode.Throughput, 1, new TreeMap<>(params), score, Double.NaN, unit);
    }
}
