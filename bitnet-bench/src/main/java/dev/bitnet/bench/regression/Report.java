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
                               double threshold, List<CrossPair> crossPairs, String otherCpu) {
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
}
