package dev.bitnet.bench.regression;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.options.TimeValue;

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
        if (!isJmhUnit(unit)) throw new IllegalArgumentException("not ops/<time> or <time>/op: '" + unit + "'");
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** The class and method without the package, e.g. {@code BinaryMatVecBenchmark.matVecVector}. */
    public String shortName() {
        return shortName(benchmark);
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
        double perSecond = perSecond(unit);
        return unit.startsWith("ops/") ? score * perSecond : perSecond / score;
    }

    /** {@code opsPerSecond} as a score in this result's unit. */
    public double inUnit(double opsPerSecond) {
        double perSecond = perSecond(unit);
        return unit.startsWith("ops/") ? opsPerSecond / perSecond : perSecond / opsPerSecond;
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

    /** {@code Class.method} of a fully qualified benchmark method. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
    }

    /** Whether {@code unit} is one JMH writes for a primary metric: {@code ops/T} or {@code T/op}. */
    static boolean isJmhUnit(String unit) {
        return !Double.isNaN(perSecond(unit));
    }

    // How many of the unit's T make a second; NaN for another unit. JMH writes T as
    // TimeValue.tuToString(TimeUnit); 1e9 / nanoseconds keeps the common units whole numbers.
    private static double perSecond(String unit) {
        String time = unit.startsWith("ops/") ? unit.substring(4)
                : unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : null;
        for (TimeUnit t : TimeUnit.values()) {
            if (TimeValue.tuToString(t).equals(time)) return 1e9 / t.toNanos(1);
        }
        return Double.NaN;
    }
}
