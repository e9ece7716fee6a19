package dev.bitnet.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.List;

/** Global-norm gradient clipping (DJL's {@code optClipGrad} clamps elements, which is not this). */
public final class Gradients {

    private Gradients() {
    }

    /**
     * The L2 norm of all gradients taken together: one norm per array, then the norm of those.
     * Temporaries belong to the gradients' manager (attach the gradients to a step manager).
     */
    public static float globalNorm(List<NDArray> grads) {
        NDList norms = new NDList(grads.size());
        for (NDArray g : grads) {
            norms.add(g.norm());
        }
        NDArray stacked = NDArrays.stack(norms);
        NDArray total = stacked.norm();
        float value = total.getFloat();
        total.close();
        stacked.close();
        norms.close();
        return value;
    }

    /**
     * The factor that brings the global norm down to {@code maxNorm}: {@code maxNorm / norm} when
     * the norm is larger, else 1. {@code maxNorm == 0} turns clipping off.
     */
    public static double clipScale(double norm, double maxNorm) {
        if (maxNorm <= 0 || norm <= maxNorm) {
            return 1.0;
        }
        return maxNorm / norm;
    }
}
