package dev.bitnet.train.checkpoint;

import java.util.Map;

/**
 * Saved AdamW state.
 *
 * @param step    updates done (the bias-correction count)
 * @param moments {@code m.<param>} and {@code v.<param>}, flat float32
 */
public record OptimizerState(int step, Map<String, float[]> moments) {
}
