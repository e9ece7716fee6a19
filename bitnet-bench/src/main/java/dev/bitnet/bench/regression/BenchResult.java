package dev.bitnet.bench.regression;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;

/**
 * One row of a JMH JSON results file: a benchmark method at one set of {@code @Param} values,
 * with its primary metric.
 *
 * @param benchmark fully qualified method, e.g. {@code dev.bitnet.bench.kernel.BinaryMatVecBenchmark.matVecVector}
 * @param mode      JMH mode (thrpt, avgt, sample, ss)
 * @param threads   JMH worker threads
 * @param params    {@code @Param} values by name (empty when the benchmark has none)
 * @param score     primary metric score, in {@code unit}
 * @param error     99.9% confidence half-width of {@code score}; NaN when JMH had too few iterations
 * @param unit      JMH's unit label, e.g. {@code ops/ms} or {@code us/op}
 */
public record BenchResult(
        String benchmark, Mode mode, int threads, SortedMap<String, String> params,
        double score, double error, String unit) {

    public BenchResult {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** The class and method without the package, e.g. {@code BinaryMatVecBenchmark.matVecVector}. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The fully qualified class, everything before the method name. */
    public String className() {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    /** The method name. */
    public String methodName() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * Operations per second whatever the mode and unit, so that results in {@code ops/ms} and
     * {@code us/op} compare directly: higher is always faster.
     */
    public double opsPerSecond() {
        return Units.opsPerSecond(score, unit);
    }

    /** What identifies this result across runs: benchmark, mode, threads and params. */
    public String key() {
        return key(benchmark, mode, threads, params);
    }

    /** Params as {@code name=value} separated by spaces, in name order; {@code -} when none. */
    public static String paramsText(SortedMap<String, String> params) {
        if (params.isEmpty()) return "-";
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    /** The {@link #key()} a result with these fields would have. */
    static String key(String benchmark, Mode mode, int threads, SortedMap<String, String> params) {
        return benchmark + " " + mode.shortLabel() + " t" + threads + " " + params;
    }
}
