package dev.bitnet.train.data;

import dev.bitnet.core.config.TokenizerKind;

/**
 * Deterministic validation windows: window {@code i} is tokens {@code [i*ctx, i*ctx + ctx]} of the
 * validation data, so consecutive windows share one token and every validation token after the
 * first is a target exactly once. At most {@code maxWindows} windows, from the start.
 *
 * <p>With bits/byte = sum of target cross-entropies / ln 2 / target bytes, the byte count of a
 * target token is its UTF-8 length (1 for {@code bytes}; the length of its bytes in r50k_base for
 * {@code gpt2}); the document separator counts as 1 byte for both.
 */
public final class EvalWindows {

    private final TokenDataset data;
    private final int ctx;
    private final int count;
    private final int[] byteLengths;

    /**
     * @param data       validation tokens (all below {@code kind.vocabSize()})
     * @param ctx        context length
     * @param maxWindows upper bound on the number of windows
     * @param kind       tokenizer of the tokens, for the byte counts
     * @throws IllegalArgumentException if the data holds no whole window
     */
    public EvalWindows(TokenDataset data, int ctx, int maxWindows, TokenizerKind kind) {
        if (ctx < 1 || maxWindows < 1) {
            throw new IllegalArgumentException("context " + ctx + " and window count " + maxWindows + " must be positive");
        }
        long available = (data.size() - 1) / ctx;
        if (available < 1) {
            throw new IllegalArgumentException("the validation data has " + data.size()
                    + " tokens, fewer than one window of context " + ctx + " + 1");
        }
        this.data = data;
        this.ctx = ctx;
        this.count = (int) Math.min(maxWindows, available);
        this.byteLengths = DocumentEncoder.tokenByteLengths(kind);
    }

    /** Number of windows. */
    public int count() {
        return count;
    }

    /** Number of batches of {@code batchSize} windows (the last may be smaller). */
    public int batchCount(int batchSize) {
        return (count + batchSize - 1) / batchSize;
    }

    /** Batch {@code index}: windows {@code [index*batchSize, min(count, (index+1)*batchSize))}. */
    public EvalBatch batch(int index, int batchSize) {
        int first = index * batchSize;
        if (index < 0 || batchSize < 1 || first >= count) {
            throw new IndexOutOfBoundsException("batch " + index + " of size " + batchSize
                    + " outside the " + count + " validation windows");
        }
        int rows = Math.min(batchSize, count - first);
        int w = ctx + 1;
        int[] tokens = new int[rows * w];
        long[] bytes = new long[rows];
        for (int r = 0; r < rows; r++) {
            data.copy((long) (first + r) * ctx, tokens, r * w, w);
            long b = 0;
            for (int j = 1; j < w; j++) {
                int t = tokens[r * w + j];
                if (t >= byteLengths.length) {
                    throw new IllegalArgumentException("validation token " + t + " at index "
                            + ((long) (first + r) * ctx + j) + " is outside the vocabulary (" + byteLengths.length + ")");
                }
                b += byteLengths[t];
            }
            bytes[r] = b;
        }
        return new EvalBatch(tokens, rows, bytes);
    }

    /** Target bytes of all windows: the bits/byte denominator of a whole evaluation. */
    public long totalTargetBytes() {
        long s = 0;
        for (int i = 0, n = batchCount(256); i < n; i++) {
            s += batch(i, 256).totalTargetBytes();
        }
        return s;
    }
}
