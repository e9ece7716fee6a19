package dev.bitnet.bench.regression;

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
