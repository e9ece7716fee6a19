package dev.bitnet.bench.regression;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run judged against an optional baseline run. Only ratios can be regressions; absolute
 * changes are shown with a caveat.
 *
 * @param threshold    a ratio that fell by more than this fraction is a regression
 * @param hasBaseline  whether a baseline was given
 * @param ratios       this run's ratios, judged
 * @param absolutes    this run's results, compared with the baseline's
 * @param unpaired     results that follow the naming convention but had no partner
 * @param notRun       keys of baseline ratios this run did not measure (e.g. left out by --include)
 * @param roofline     this run's end-to-end figures as fractions of its roofline (never judged)
 * @param otherCpu     null when the baseline was measured on this run's CPU (or the CPU of either is
 *                     unknown); else the two CPUs, and the ratios are compared but not judged
 */
public record Report(double threshold, boolean hasBaseline, List<RatioVerdict> ratios,
                     List<AbsoluteChange> absolutes, List<String> unpaired, List<String> notRun,
                     RooflineFractions roofline, String otherCpu) {

    /** Exit status when no ratio regressed. */
    public static final int EXIT_OK = 0;
    /** Exit status when at least one ratio regressed. */
    public static final int EXIT_REGRESSION = 1;

    public Report {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        ratios = List.copyOf(ratios);
        absolutes = List.copyOf(absolutes);
        unpaired = List.copyOf(unpaired);
        notRun = List.copyOf(notRun);
        Objects.requireNonNull(roofline, "roofline");
    }

    /**
     * Judges {@code current} against {@code baseline} (null: no baseline), pairing both runs by
     * the naming convention and {@code crossPairs}. With {@code otherCpu} (the baseline is from
     * another CPU, described) the ratios are compared but a fall is {@link Verdict#LOWER}, not a regression.
     */
    public static Report judge(List<BenchResult> current, List<BenchResult> baseline,
                               double threshold, List<Pairing.CrossPair> crossPairs, String otherCpu) {
        Pairing now = Pairing.of(current, crossPairs);
        Map<String, Ratio> before = new HashMap<>();
        Map<String, BenchResult> beforeResults = new HashMap<>();
        if (baseline != null) {
            for (Ratio r : Pairing.of(baseline, crossPairs).ratios()) before.put(r.key(), r);
            for (BenchResult r : baseline) beforeResults.put(r.key(), r);
        }
        List<RatioVerdict> ratios = now.ratios().stream().map(r -> {
            boolean noisy = r.error() > r.value() * threshold;
            if (baseline == null) return new RatioVerdict(r, Double.NaN, Verdict.NOT_JUDGED, noisy);
            Ratio b = before.get(r.key());
            double base = b == null ? Double.NaN : b.value();
            Verdict v = Verdict.of(r.value(), base, threshold);
            return new RatioVerdict(r, base, otherCpu == null ? v : v.acrossCpus(), noisy);
        }).toList();
        List<AbsoluteChange> absolutes = current.stream().map(r -> {
            if (baseline == null) return new AbsoluteChange(r, null, Verdict.NOT_JUDGED);
            BenchResult b = beforeResults.get(r.key());
            double base = b == null ? Double.NaN : b.opsPerSecond();
            return new AbsoluteChange(r, b, Verdict.of(r.opsPerSecond(), base, threshold));
        }).toList();
        Set<String> measured = now.ratios().stream().map(Ratio::key).collect(Collectors.toSet());
        List<String> notRun = before.keySet().stream().filter(k -> !measured.contains(k)).sorted().toList();
        return new Report(threshold, baseline != null, ratios, absolutes, now.unpaired(), notRun,
                RooflineFractions.of(current), otherCpu);
    }

    /** The ratios that fell by more than the threshold. */
    public List<RatioVerdict> regressions() {
        return ratios.stream().filter(r -> r.verdict() == Verdict.REGRESSION).toList();
    }

    /** {@link #EXIT_REGRESSION} when any ratio regressed, else {@link #EXIT_OK}. */
    public int exitCode() {
        return regressions().isEmpty() ? EXIT_OK : EXIT_REGRESSION;
    }

    /** How a figure compares with the baseline. */
    public enum Verdict {
        /** Within the threshold of the baseline. */
        OK("ok"),
        /** Fell by more than the threshold. */
        REGRESSION("regression"),
        /** Rose by more than the threshold (consider saving a new baseline). */
        IMPROVED("improved"),
        /** Not in the baseline. */
        NEW("new"),
        /** No baseline was given. */
        NOT_JUDGED("not-judged"),
        /** Fell by more than the threshold against a baseline from another CPU: shown, not judged. */
        LOWER("lower"),
        /** Rose by more than the threshold against a baseline from another CPU. */
        HIGHER("higher");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        /** A ratio's verdict in the summary JSON. */
        public String word() {
            return word;
        }

        /** An absolute score's verdict in the summary JSON: a fall or rise is only "slower" or "faster". */
        public String absoluteWord() {
            return this == REGRESSION ? "slower" : this == IMPROVED ? "faster" : word;
        }

        /** {@code current} against {@code baseline} (NaN: none), both higher-is-better. */
        static Verdict of(double current, double baseline, double threshold) {
            if (Double.isNaN(baseline)) return NEW;
            // "dropped by more than the threshold": exactly at the threshold is still OK
            if (current < baseline * (1 - threshold)) return REGRESSION;
            if (current > baseline * (1 + threshold)) return IMPROVED;
            return OK;
        }

        /** This verdict when the baseline comes from another CPU: a change is reported, not judged. */
        Verdict acrossCpus() {
            return this == REGRESSION ? LOWER : this == IMPROVED ? HIGHER : this;
        }
    }

    /**
     * A same-run ratio judged against the same ratio in the baseline run.
     *
     * @param ratio    this run's ratio
     * @param baseline the baseline run's value of the same ratio; NaN when it has none
     * @param verdict  the judgement
     * @param noisy    the ratio's error is wider than the threshold, so the verdict may be noise
     */
    public record RatioVerdict(Ratio ratio, double baseline, Verdict verdict, boolean noisy) {

        /** Relative change against the baseline (-0.12: the speed-up fell by 12%); NaN without one. */
        public double change() {
            return ratio.value() / baseline - 1;
        }
    }

    /**
     * One benchmark's absolute score against the baseline run's. Informational only: absolute
     * speed on a shared machine drifts with its load, so these never fail a run.
     *
     * @param result   this run's result
     * @param baseline the baseline's result with the same benchmark, mode, threads and params; null when none
     * @param verdict  the judgement ({@link Verdict#REGRESSION} means "slower", and is only a hint)
     */
    public record AbsoluteChange(BenchResult result, BenchResult baseline, Verdict verdict) {

        /** Relative change of speed (ops/s) against the baseline (-0.12: 12% slower); NaN without one. */
        public double change() {
            return baseline == null ? Double.NaN : result.opsPerSecond() / baseline.opsPerSecond() - 1;
        }
    }
}
