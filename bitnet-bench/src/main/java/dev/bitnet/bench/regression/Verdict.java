package dev.bitnet.bench.regression;

/** How a figure compares with the baseline. */
public enum Verdict {
    /** Within the threshold of the baseline. */
    OK,
    /** Fell by more than the threshold. */
    REGRESSION,
    /** Rose by more than the threshold (consider saving a new baseline). */
    IMPROVED,
    /** Not in the baseline. */
    NEW,
    /** No baseline was given. */
    NOT_JUDGED,
    /** Fell by more than the threshold against a baseline from another CPU: shown, not judged. */
    LOWER,
    /** Rose by more than the threshold against a baseline from another CPU. */
    HIGHER;

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
