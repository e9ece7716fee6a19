package dev.bitnet.train.checkpoint;

/**
 * Validation figures stored with a checkpoint ({@code null} where no evaluation has run yet).
 *
 * @param valLoss         mean validation cross-entropy, nats per token, at the checkpoint's step
 * @param valBitsPerToken {@code valLoss / ln 2}
 * @param valBitsPerByte  summed cross-entropy / ln 2 / UTF-8 bytes of the evaluated text
 * @param bestValLoss     the lowest validation loss of the run so far
 */
public record CheckpointMetrics(Double valLoss, Double valBitsPerToken, Double valBitsPerByte, Double bestValLoss) {

    /** No evaluation yet. */
    public static final CheckpointMetrics NONE = new CheckpointMetrics(null, null, null, null);
}
