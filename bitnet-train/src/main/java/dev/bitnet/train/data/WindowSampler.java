package dev.bitnet.train.data;

/**
 * Random training windows, as a pure function of (seed, step, micro-batch, row): resuming at a
 * step needs no saved random state, and a run is reproducible from its seed.
 *
 * <p>A window is {@code ctx + 1} consecutive tokens (inputs {@code [0, ctx)}, targets
 * {@code [1, ctx]}); its start is uniform over {@code [0, size - ctx - 1]} (sampling with
 * replacement, like nanoGPT's {@code get_batch}). Thread-safe.
 */
public final class WindowSampler {

    private final TokenDataset data;
    private final int ctx;
    private final long seed;
    private final long starts; // number of possible window starts

    /**
     * @throws IllegalArgumentException if the data has fewer than {@code ctx + 1} tokens
     */
    public WindowSampler(TokenDataset data, int ctx, long seed) {
        if (ctx < 1) {
            throw new IllegalArgumentException("context length " + ctx + " must be at least 1");
        }
        if (data.size() < ctx + 1L) {
            throw new IllegalArgumentException("the training data has " + data.size()
                    + " tokens, fewer than one window of context " + ctx + " + 1");
        }
        this.data = data;
        this.ctx = ctx;
        this.seed = seed;
        this.starts = data.size() - ctx;
    }

    /** Tokens per window: {@code ctx + 1}. */
    public int windowLength() {
        return ctx + 1;
    }

    /** First token index of row {@code row} of micro-batch {@code micro} at {@code step}. */
    public long windowStart(long step, int micro, int row) {
        long h = mix(seed ^ mix(step ^ mix(((long) micro << 32) | (row & 0xFFFFFFFFL))));
        return Math.unsignedMultiplyHigh(h, starts); // uniform in [0, starts), bias below 2^-30
    }

    /**
     * The windows of micro-batch {@code micro} at {@code step}: {@code batchSize} rows of
     * {@code ctx + 1} tokens, row-major. Row {@code r} does not depend on {@code batchSize}.
     */
    public int[] batch(long step, int micro, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        int[] out = new int[batchSize * (ctx + 1)];
        for (int r = 0; r < batchSize; r++) {
            data.copy(windowStart(step, micro, r), out, r * (ctx + 1), ctx + 1);
        }
        return out;
    }

    /** SplitMix64's finaliser: a bijection on longs that mixes every bit into every bit. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
