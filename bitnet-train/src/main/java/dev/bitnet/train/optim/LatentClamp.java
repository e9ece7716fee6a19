package dev.bitnet.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * Clamps latent matrices to [-1, 1] in place after each update (MODEL.md recipe): beyond ±1 a
 * latent weight only stores distance from a sign flip the optimizer would have to undo.
 * DJL has no in-place clip, so this writes the bounds through boolean masks on a per-step view.
 */
public final class LatentClamp {

    private LatentClamp() {
    }

    /** Clamps each array in place; the masks and views belong to {@code stepManager}. */
    public static void apply(List<NDArray> latent, NDManager stepManager) {
        for (NDArray w : latent) {
            // A view in the step manager: temporaries of set() land there, not beside the parameter.
            NDArray view = w.reshape(w.getShape());
            view.attach(stepManager);
            view.set(view.gt(1f), 1f);
            view.set(view.lt(-1f), -1f);
        }
    }
}
