package dev.bitnet.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointLoader;
import dev.bitnet.train.model.BitLM;

/**
 * Distillation from a trained teacher ({@code --distill-from}): the training loss becomes
 * {@code (1 - w) * CE(targets) + w * CE(teacher)}, where {@code CE(teacher)} is the mean over
 * positions of {@code -sum_v p_teacher(v) log p_student(v)}. The teacher (the float twin,
 * typically) runs its evaluation forward on the same inputs, outside the gradient recording:
 * it is never trained and costs one forward per micro-batch.
 */
final class Distillation {

    private final BitLM teacher;
    private final float weight;

    Distillation(BitLM teacher, float weight) {
        this.teacher = teacher;
        this.weight = weight;
    }

    /**
     * Loads the teacher of {@code checkpoint} into {@code manager} (the trainer's device). Call it
     * after the student is initialised: the teacher's own initialisation, overwritten by the load,
     * then draws nothing the student depends on.
     */
    static Distillation load(Checkpoint checkpoint, double weight, NDManager manager) {
        BitLM t = BitLM.builder().setConfig(checkpoint.model()).optFloatAblation(checkpoint.meta().floatAblation())
                .build();
        t.initialize(manager);
        CheckpointLoader.load(checkpoint, t);
        return new Distillation(t, (float) weight);
    }

    /** The teacher's next-token probabilities for {@code inputs (B, T)}: {@code (B, T, V)}, no gradient. */
    NDArray teacherProbabilities(NDArray inputs) {
        try (NDArray logits = teacher.forward(inputs, false)) {
            NDArray p = logits.softmax(-1);
            p.attach(inputs.getManager());       // the step's, whatever manager the teacher's forward used
            return p;
        }
    }

    /** {@code (1 - w) * ce + w * mean_positions(-sum_v teacher * log_softmax(logits))}, a scalar with gradients. */
    NDArray loss(NDArray logits, NDArray ce, NDArray teacher) {
        NDManager m = ce.getManager();
        try (NDArray logP = logits.logSoftmax(-1);
             NDArray weighted = logP.mul(teacher);
             NDArray perPosition = weighted.sum(new int[] {-1});
             NDArray soft = perPosition.mean().neg()) {
            NDArray hard = ce.mul(m.full(new Shape(), 1f - weight));
            return hard.addi(soft.mul(m.full(new Shape(), weight)));
        }
    }
}
