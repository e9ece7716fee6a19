package dev.bitnet.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW with decoupled weight decay on a chosen group of parameters, and state that can be
 * saved and restored (DJL's own optimizers keep theirs private and decay everything).
 *
 * <p>One update of parameter {@code w} with gradient {@code g} (already summed over the
 * micro-batches) and gradient scale {@code s} (the clipping factor), at update number {@code t}
 * (1-based), is {@code torch.optim.AdamW}'s:
 * <pre>
 *   g' = s * g
 *   m  = beta1 * m + (1 - beta1) * g'
 *   v  = beta2 * v + (1 - beta2) * g'^2
 *   w  = w - lr * wd * w                                     (decayed group only)
 *   w  = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * It runs as one fused native call per parameter (PyTorch engine's {@code adamUpdate}, which
 * also zeroes the gradient), with the bias corrections folded into its learning rate and
 * epsilon: {@code lr * sqrt(bc2) / bc1} and {@code eps * sqrt(bc2)}.
 */
public final class AdamW {

    private final List<String> names;
    private final List<NDArray> params;
    private final List<NDArray> m;
    private final List<NDArray> v;
    private final boolean[] decayed;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int step;

    /**
     * Creates zero moments beside each parameter (in the parameter's manager and device).
     *
     * @param params      the trained arrays by name, in a stable order
     * @param decay       which names get weight decay (the latent matrices)
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param eps         denominator epsilon
     * @param weightDecay decoupled weight decay of the decayed group
     */
    public AdamW(Map<String, NDArray> params, Predicate<String> decay, double beta1, double beta2, double eps,
                 double weightDecay) {
        this.names = List.copyOf(params.keySet());
        this.params = List.copyOf(params.values());
        this.m = new ArrayList<>(names.size());
        this.v = new ArrayList<>(names.size());
        this.decayed = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            NDArray p = this.params.get(i);
            m.add(p.zerosLike());
            v.add(p.zerosLike());
            decayed[i] = decay.test(names.get(i));
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** Names of the optimized parameters, in update order. */
    public List<String> names() {
        return names;
    }

    /** Whether the named parameter gets weight decay. */
    public boolean isDecayed(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("not an optimized parameter: " + name);
        }
        return decayed[i];
    }

    /** Updates done so far (the {@code t} of the bias corrections). */
    public int step() {
        return step;
    }

    /**
     * The current gradient of every parameter, in {@link #names()} order. The wrappers belong to
     * {@code stepManager} so that they are freed with the step.
     */
    public List<NDArray> gradients(NDManager stepManager) {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            g.attach(stepManager);
            grads.add(g);
        }
        return grads;
    }

    /**
     * One update of every parameter in place; zeroes the gradients.
     *
     * @param grads     the gradients from {@link #gradients(NDManager)}
     * @param lr        learning rate of this step
     * @param gradScale factor applied to every gradient first (the clipping factor, 1 if none)
     */
    public void update(List<NDArray> grads, double lr, double gradScale) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, step));
        float lrCorrected = (float) (lr * sqrtBc2 / bc1);
        float epsCorrected = (float) (eps * sqrtBc2);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i);
            float wd = decayed[i] ? (float) weightDecay : 0f;
            w.getNDArrayInternal().adamUpdate(new NDList(w, grads.get(i), m.get(i), v.get(i)), new NDList(w),
                    (float) lr, lrCorrected, wd, (float) gradScale, -1f, (float) beta1, (float) beta2,
                    epsCorrected, false, true);
        }
    }

    /** Zeroes every gradient without updating (a skipped step, or before the first one). */
    public void zeroGradients() {
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /**
     * The moment arrays by name: {@code m.<param>} and {@code v.<param>} (live arrays: copy
     * them out before the next update).
     */
    public Map<String, NDArray> moments() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put("m." + names.get(i), m.get(i));
            out.put("v." + names.get(i), v.get(i));
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
        for (int i = 0; i < names.size(); i++) {
            set(moments, "m." + names.get(i), m.get(i));
            set(moments, "v." + names.get(i), v.get(i));
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
        target.set(data);
    }
}
