package dev.bitnet.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Next-token cross-entropy in nats (MODEL.md, "Loss and metrics"). */
public final class Losses {

    private Losses() {
    }

    /**
     * Cross-entropy of each target: {@code -log softmax(logits)[target]}.
     *
     * @param logits  {@code (B, T, V)} float32
     * @param targets {@code (B, T)} token ids
     * @return {@code (B, T)} nats
     */
    public static NDArray tokenCrossEntropy(NDArray logits, NDArray targets) {
        NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);        // (B, T, 1)
        return logits.logSoftmax(-1).gather(index, -1).squeeze(-1).neg();            // (B, T)
    }

    /** Mean cross-entropy over all targets: the training loss. */
    public static NDArray meanCrossEntropy(NDArray logits, NDArray targets) {
        return tokenCrossEntropy(logits, targets).mean();
    }
}
