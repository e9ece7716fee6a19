package dev.bitnet.train.checkpoint;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;

/**
 * Everything in a checkpoint besides the tensors ({@code checkpoint.json}).
 *
 * @param model         the model's shape
 * @param floatAblation whether the parameters are the float twin's (not exportable to 1 bit)
 * @param step          updates done: a resumed run continues with this step (the data sampler
 *                      is a pure function of seed and step, so this is also the data position)
 * @param tokens        training tokens consumed so far
 * @param train         the run's hyperparameters, seed included
 * @param metrics       validation figures
 * @param data          what the model was trained on, or {@code null} when not recorded
 *                      (checkpoints written before it was, or by tools that train nothing)
 */
public record CheckpointMeta(ModelConfig model, boolean floatAblation, int step, long tokens, TrainConfig train,
                             CheckpointMetrics metrics, DataProvenance data) {
}
