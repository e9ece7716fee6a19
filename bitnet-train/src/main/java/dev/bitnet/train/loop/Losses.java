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
        // Intermediates are closed once used: (B, T, V) arrays are the largest of a step.
        try (NDArray ids = targets.toType(DataType.INT64, true);                    // a copy: ours to close
             NDArray index = ids.expandDims(-1);                                     // (B, T, 1)
             NDArray logP = logits.logSoftmax(-1);                                   // (B, T, V)
             NDArray picked = logP.gather(index, -1);
             NDArray nll = picked.squeeze(-1)) {
            return nll.neg();                                                        // (B, T)
        }
    }

    /** Mean cross-entropy over all targets: the training loss. */
    public static NDArray meanCrossEntropy(NDArray logits, NDArray targets) {
        try (NDArray perToken = tokenCrossEntropy(logits, targets)) {
            return perToken.mean();
        }
    }
}
