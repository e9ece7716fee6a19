package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;

/**
 * Sees what an evaluation-mode forward of {@link PointerAttention} computed, for diagnostics
 * (the trainer's per-layer statistics in {@code metrics.jsonl}). Training forwards never call it,
 * so it costs a training step nothing.
 */
@FunctionalInterface
public interface AttentionObserver {

    /**
     * Called once per evaluation forward of the block, before the pointer picks. Both arrays
     * belong to the forward: read them, do not close or keep them. Arrays computed from them
     * land in their manager (the forward's), on their device.
     *
     * @param score  {@code score[b,h,i,j]} of {@code MODEL.md}, {@code (B, H, T, T)}, {@code -inf} where {@code j > i}
     * @param values the value rows {@code v^h}, {@code (B, H, T, d_head)} (±1 in the 1-bit model)
     */
    void observe(NDArray score, NDArray values);
}
