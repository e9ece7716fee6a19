package dev.bitnet.train.loop;

/**
 * Skips updates whose loss or gradient norm is not finite, and stops the run after
 * {@code limit} such updates in a row (a diverged run does not heal by itself).
 */
public final class NonFiniteGuard {

    private final int limit;
    private int inARow;
    private int total;
    private String last;
    private int lastStep;

    /** @param limit consecutive non-finite updates that stop the run */
    public NonFiniteGuard(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Checks one update's figures.
     *
     * @return {@code null} when both are finite (the update may proceed), else the reason to skip
     */
    public String check(int step, double loss, double gradNorm) {
        if (Double.isFinite(loss) && Double.isFinite(gradNorm)) {
            inARow = 0;
            return null;
        }
        inARow++;
        total++;
        last = !Double.isFinite(loss) ? "non-finite loss " + loss : "non-finite gradient norm " + gradNorm;
        lastStep = step;
        return last;
    }

    /** Whether the last {@code limit} updates were all non-finite: the run must stop. */
    public boolean exhausted() {
        return inARow >= limit;
    }

    /** The error that stops the run (when {@link #exhausted()}). */
    public TrainingDivergedException failure() {
        return new TrainingDivergedException("stopping at step " + lastStep + ": " + inARow
                + " updates in a row had a non-finite loss or gradient norm (last: " + last
                + "); the parameters are those of the last good update. Try a lower --lr, or --init-from best/.");
    }

    /** Updates skipped so far. */
    public int skipped() {
        return total;
    }
}
