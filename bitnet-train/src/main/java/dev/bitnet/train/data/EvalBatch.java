package dev.bitnet.train.data;

/**
 * Validation windows for one forward pass.
 *
 * @param tokens      {@code rows * (ctx + 1)} tokens, row-major: inputs are {@code [0, ctx)} of a
 *                    row, targets {@code [1, ctx]}
 * @param rows        number of windows
 * @param targetBytes per row, the UTF-8 bytes its {@code ctx} target tokens stand for
 */
public record EvalBatch(int[] tokens, int rows, long[] targetBytes) {

    /** Sum of {@link #targetBytes()}: the denominator of bits/byte for this batch. */
    public long totalTargetBytes() {
        long s = 0;
        for (long b : targetBytes) {
            s += b;
        }
        return s;
    }
}
