package dev.bitnet.bench.regression;

import java.util.Map;

/** JMH's primary-metric units ({@code ops/ms}, {@code ns/op}, ...) turned into operations per second. */
final class Units {

    // how many of each JMH time unit (TimeValue#tuToString labels) make a second; whole numbers
    // for the common units keep round scores exact
    private static final Map<String, Double> PER_SECOND = Map.of(
            "ns", 1e9, "us", 1e6, "ms", 1e3, "s", 1.0, "min", 1 / 60.0, "hr", 1 / 3600.0, "day", 1 / 86400.0);

    private Units() {}

    /** Whether {@code unit} is {@code ops/T} or {@code T/op} for a JMH time unit {@code T}. */
    static boolean known(String unit) {
        return perSecond(unit) != null;
    }

    /** {@code score} in {@code unit} as operations per second. */
    static double opsPerSecond(double score, String unit) {
        Double perSecond = perSecond(unit);
        if (perSecond == null) throw new IllegalArgumentException("not a JMH time unit: " + unit);
        return unit.startsWith("ops/") ? score * perSecond : perSecond / score;
    }

    /** Operations per second {@code opsPerSecond} as a score in {@code unit}. */
    static double score(double opsPerSecond, String unit) {
        Double perSecond = perSecond(unit);
        if (perSecond == null) throw new IllegalArgumentException("not a JMH time unit: " + unit);
        return unit.startsWith("ops/") ? opsPerSecond / perSecond : perSecond / opsPerSecond;
    }

    private static Double perSecond(String unit) {
        if (unit.startsWith("ops/")) return PER_SECOND.get(unit.substring(4));
        if (unit.endsWith("/op")) return PER_SECOND.get(unit.substring(0, unit.length() - 3));
        return null;
    }
}
