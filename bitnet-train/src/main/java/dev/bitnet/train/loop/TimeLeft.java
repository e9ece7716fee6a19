package dev.bitnet.train.loop;

/**
 * The time left in a run, for the progress bar's ETA: the wall-clock time between the ends of
 * consecutive updates (so evaluations and checkpoints count), averaged exponentially over about
 * the last {@code 1 / ALPHA} updates and bias-corrected, so that the first estimates are plain
 * means. The first update is left out: it also pays for starting the engine and compiling, and
 * once made the first ETA several times too long.
 */
final class TimeLeft {

    private static final double ALPHA = 0.1;

    private long lastEnd = -1;
    private double average;   // biased toward 0 by (1 - ALPHA)^n
    private double weight;    // 1 - (1 - ALPHA)^n: the bias correction

    /** Records that an update ended at {@code nanos} ({@link System#nanoTime()}). */
    void updateEnded(long nanos) {
        if (lastEnd >= 0) {
            double seconds = (nanos - lastEnd) / 1e9;
            average = (1 - ALPHA) * average + ALPHA * seconds;
            weight = (1 - ALPHA) * weight + ALPHA;
        }
        lastEnd = nanos;
    }

    /** Seconds the next {@code updates} updates will take; NaN until two updates have ended. */
    double seconds(int updates) {
        return weight == 0 ? Double.NaN : average / weight * updates;
    }
}
