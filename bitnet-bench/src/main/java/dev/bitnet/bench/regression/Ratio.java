package dev.bitnet.bench.regression;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A speed-up measured within one run: how many times faster {@code numerator} ran than
 * {@code denominator}. Both ran in the same JVM session on the same machine, so machine drift
 * largely cancels, which is why regressions are judged on ratios.
 *
 * @param kind        what is compared
 * @param name        the pair's name, e.g. {@code BinaryMatVecBenchmark.matVec}
 * @param params      the params that identify the pair (both sides' params, less {@code kernel})
 * @param numerator   the variant expected to be faster (vector, 1-bit)
 * @param denominator the reference (scalar, float)
 */
public record Ratio(Kind kind, String name, SortedMap<String, String> params,
                    BenchResult numerator, BenchResult denominator) {

    public Ratio {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** Speed-up: numerator ops/s over denominator ops/s (above 1: the numerator is faster). */
    public double value() {
        return numerator.opsPerSecond() / denominator.opsPerSecond();
    }

    /**
     * The ratio's error from the two scores' errors (relative errors added in quadrature, as
     * for independent measurements); NaN when either side has no error estimate.
     */
    public double error() {
        double a = numerator.error() / numerator.score();
        double b = denominator.error() / denominator.score();
        return value() * Math.sqrt(a * a + b * b);
    }

    /** What identifies this ratio across runs, to find it in a baseline. */
    public String key() {
        return kind.label() + " " + name + " " + numerator.mode().shortLabel()
                + " t" + numerator.threads() + " " + params;
    }

    /** What a same-run ratio compares. */
    public enum Kind {
        /** Vector API kernel over the scalar reference, same benchmark and params. */
        VECTOR_SCALAR("vector/scalar"),
        /** 1-bit kernel over the float baseline at the same shape (a {@link Pairing.CrossPair}). */
        ONE_BIT_FLOAT("1-bit/float"),
        /** Our implementation over an independent reference doing the same work (a {@link Pairing.CrossPair}). */
        OURS_REFERENCE("ours/reference");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The short label shown in tables and written to the summary. */
        public String label() {
            return label;
        }
    }
}
