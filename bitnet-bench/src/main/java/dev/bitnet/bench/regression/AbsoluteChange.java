package dev.bitnet.bench.regression;

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
