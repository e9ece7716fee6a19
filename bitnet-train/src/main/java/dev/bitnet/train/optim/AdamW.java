package dev.bitnet.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay on the decayed range of {@link FlatParameters}, and state
 * that can be saved and restored (DJL's own optimizers keep theirs private and decay everything).
 *
 * <p>One update of parameter {@code w} with gradient {@code g} (already summed over the
 * micro-batches) and gradient scale {@code s} (the clipping factor), at update number {@code t}
 * (1-based), is {@code torch.optim.AdamW}'s:
 * <pre>
 *   g' = s * g
 *   m  = beta1 * m + (1 - beta1) * g'
 *   v  = beta2 * v + (1 - beta2) * g'^2
 *   w  = w - lr * wd * w                                     (decayed range only)
 *   w  = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * Every step is elementwise, so it runs as two native calls over the flat arrays (PyTorch
 * engine's {@code adamUpdate}: one for the decayed range, one for the rest), with the bias
 * corrections folded into its learning rate and epsilon: {@code lr * sqrt(bc2) / bc1} and
 * {@code eps * sqrt(bc2)}. The moments are flat too; {@link #moments(NDManager)} shows them by parameter.
 */
public final class AdamW {

    private final FlatParameters params;
    private final NDArray m;
    private final NDArray v;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int step;

    /**
     * Creates zero moments beside the flat parameters (in their manager and device).
     *
     * @param params      the trained arrays, flattened
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param eps         denominator epsilon
     * @param weightDecay decoupled weight decay of the decayed range
     */
    public AdamW(FlatParameters params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = params;
        this.m = params.all().zerosLike();
        this.v = params.all().zerosLike();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** Updates done so far (the {@code t} of the bias corrections). */
    public int step() {
        return step;
    }

    /**
     * The flat gradient of every parameter (after a backward: before the first one there is
     * none), owned by {@code stepManager}.
     */
    public NDArray gradient(NDManager stepManager) {
        NDArray g = params.all().getGradient();
        g.attach(stepManager);
        return g;
    }

    /**
     * One update of every parameter in place; zeroes the gradient.
     *
     * @param stepManager owns the temporary views
     * @param lr          learning rate of this step
     * @param gradScale   factor applied to every gradient first (the clipping factor, 1 if none)
     */
    public void update(NDManager stepManager, double lr, double gradScale) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, step));
        float lrCorrected = (float) (lr * sqrtBc2 / bc1);
        float epsCorrected = (float) (eps * sqrtBc2);
        NDArray w = params.all();
        NDArray g = gradient(stepManager);
        long n = w.size();
        long decayed = params.decayedSize();
        if (decayed > 0) {
            update(stepManager, w, g, 0, decayed, lr, lrCorrected, (float) weightDecay, gradScale, epsCorrected);
        }
        if (decayed < n) {
            update(stepManager, w, g, decayed, n, lr, lrCorrected, 0f, gradScale, epsCorrected);
        }
        zeroGradients();
    }

    private void update(NDManager sm, NDArray w, NDArray g, long from, long to, double lr, float lrCorrected,
                        float wd, double gradScale, float epsCorrected) {
        JniUtils.adamUpdate(part(w, from, to, sm), part(g, from, to, sm), part(m, from, to, sm), part(v, from, to, sm),
                (float) lr, lrCorrected, wd, (float) gradScale, -1f, (float) beta1, (float) beta2, epsCorrected, true);
    }

    private static PtNDArray part(NDArray flat, long from, long to, NDManager sm) {
        return (PtNDArray) FlatParameters.range(flat, from, to, sm);
    }

    /** Zeroes the gradient without updating (a skipped step, or before the first one). */
    public void zeroGradients() {
        JniUtils.zeroGrad((PtNDArray) params.all());
    }

    /**
     * The moment arrays by name: {@code m.<param>} and {@code v.<param>}, shaped as the
     * parameters (live views: copy them out before the next update), owned by {@code manager}.
     */
    public Map<String, NDArray> moments(NDManager manager) {
        Map<String, NDArray> ms = params.views(m, manager);
        Map<String, NDArray> vs = params.views(v, manager);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : params.names()) {
            out.put("m." + name, ms.get(name));
            out.put("v." + name, vs.get(name));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores a saved state.
     *
     * @param savedStep the update count saved with the moments
     * @param moments   {@code m.<param>} and {@code v.<param>} for every parameter, flat float32
     * @throws IllegalArgumentException naming a missing or mis-sized moment
     */
    public void restore(int savedStep, Map<String, float[]> moments) {
        if (savedStep < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + savedStep);
        }
        try (NDManager sm = m.getManager().newSubManager()) {
            Map<String, NDArray> current = moments(sm);
            for (Map.Entry<String, NDArray> e : current.entrySet()) {
                set(moments, e.getKey(), e.getValue());
            }
        }
        step = savedStep;
    }

    private static void set(Map<String, float[]> moments, String name, NDArray target) {
        float[] data = moments.get(name);
        if (data == null) {
            throw new IllegalArgumentException("optimizer state has no '" + name + "'");
        }
        if (data.length != target.size()) {
            throw new IllegalArgumentException("optimizer state '" + name + "' has " + data.length
                    + " values, the parameter has " + target.size() + " " + Arrays.toString(target.getShape().getShape()));
        }
        FlatParameters.copyInto(target, data);
    }
}
