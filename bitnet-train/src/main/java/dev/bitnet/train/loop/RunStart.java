package dev.bitnet.train.loop;

import dev.bitnet.train.checkpoint.Checkpoint;

/**
 * Where a run's parameters come from.
 *
 * @param from          the checkpoint to load, or {@code null} for a fresh initialisation
 * @param resume        continue {@code from}'s run exactly: its step, optimizer state and best loss
 * @param loadOptimizer load {@code from}'s optimizer moments (always true when resuming)
 */
public record RunStart(Checkpoint from, boolean resume, boolean loadOptimizer) {

    /** A fresh initialisation from the seed. */
    public static RunStart fresh() {
        return new RunStart(null, false, false);
    }

    /** Continue the run of {@code c} at its step (same schedules, extended if --steps grew). */
    public static RunStart resume(Checkpoint c) {
        return new RunStart(c, true, true);
    }

    /** Start a new schedule at step 0 from {@code c}'s parameters (and its optimizer moments if asked). */
    public static RunStart initFrom(Checkpoint c, boolean loadOptimizer) {
        return new RunStart(c, false, loadOptimizer);
    }
}
