package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.bitnet.core.model.BitMath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gumbel-hard pointer attention ({@code MODEL.md}): each query attends to exactly one earlier
 * (or the same) position. Input ±1 {@code (B, T, d)}, output float {@code (B, T, d)}.
 * <pre>
 *   q, k, v = BitLinearScaled(hb, d->d), split into H heads of d_head
 *   score[h,i,j] = (float)((q_i . k_j) * (float)(1/sqrt(d_head))) - (float)(m_h * (float)(i-j)),  j <= i
 *   training: a = onehot(argmax_j z) + (p - stopGradient(p)),  z = (score + G) / tau,  p = softmax_j(z)
 *             (during an attention ramp: a = h (onehot(argmax_j z) + p - stopGradient(p)) + (1 - h) p, hardness h < 1;
 *             with a noise scale s != 1 (--noise-end): z = (score + s G) / tau)
 *   eval:     a = onehot(argmax_j score), ties to the smallest j
 *   out = BitLinearScaledRaw(concat_h(a @ v^h), d->d)
 * </pre>
 * Gumbel noise {@code G} is a function of the key given to {@link #seedNoise(long)} (see
 * {@link BitLM#setNoiseSeed(long, long)}) and of the number of training forwards since. In the float ablation the projections are float,
 * {@code a = softmax_j(score)} and there is no noise.
 */
public final class PointerAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dModel;
    private final int nHeads;
    private final int dHead;
    private final boolean floatAblation;
    private final float[] slopes;
    private final float scoreScale;
    private float tau = 1f;
    private float hardness = 1f;
    private float noiseScale = 1f;
    private long noiseKey;
    private long draws;
    private final GumbelNoise noise = new GumbelNoise();
    private AttentionObserver observer;     // null: none; evaluation forwards only

    private final BitLinear q;
    private final BitLinear k;
    private final BitLinear v;
    private final BitLinear o;

    /**
     * @param dModel        width d
     * @param nHeads        heads H, dividing d
     * @param outAlphaInit  initial alpha of the output projection ({@code 1/sqrt(2L)} in the spec)
     * @param floatAblation the float twin (softmax attention, float projections)
     */
    public PointerAttention(int dModel, int nHeads, float outAlphaInit, boolean floatAblation) {
        super(VERSION);
        if (nHeads <= 0 || dModel % nHeads != 0) {
            throw new IllegalArgumentException("attention: d_model " + dModel + " must be divisible by n_heads " + nHeads);
        }
        this.dModel = dModel;
        this.nHeads = nHeads;
        this.dHead = dModel / nHeads;
        this.floatAblation = floatAblation;
        this.slopes = BitMath.alibiSlopes(nHeads);
        this.scoreScale = BitMath.invSqrt(dHead);
        q = addChildBlock("q", projection(false, 1f));
        k = addChildBlock("k", projection(false, 1f));
        v = addChildBlock("v", projection(false, 1f));
        o = addChildBlock("o", projection(true, outAlphaInit));
    }

    private BitLinear projection(boolean raw, float alphaInit) {
        return BitLinear.builder().setInputs(dModel).setUnits(dModel).optRawOutput(raw)
                .optAlphaInit(alphaInit).optFloatAblation(floatAblation).build();
    }

    /** Gumbel-softmax temperature used by the training forward; the trainer sets it each step. */
    public void setTau(float tau) {
        if (!(tau > 0f) || Float.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be a finite number > 0, got " + tau);
        }
        this.tau = tau;
    }

    /**
     * How hard the training forward's attention is (the trainer's attention ramp): 1 (the
     * default) is MODEL.md's one-hot pointer, 0 the softmax of the noisy scores, between them
     * their mix. Evaluation forwards are always hard.
     */
    public void setHardness(float hardness) {
        if (!(hardness >= 0f && hardness <= 1f)) {
            throw new IllegalArgumentException("attention hardness must be in [0, 1], got " + hardness);
        }
        this.hardness = hardness;
    }

    /**
     * The scale of the training forward's Gumbel noise (the trainer's noise schedule): the pointer
     * then samples key j with probability {@code softmax_j(score / scale)}; 1 (the default) is
     * MODEL.md's formula.
     */
    public void setNoiseScale(float scale) {
        if (!(scale > 0f && scale <= 1f)) {
            throw new IllegalArgumentException("noise scale must be in (0, 1], got " + scale);
        }
        this.noiseScale = scale;
    }

    /**
     * Restarts the Gumbel noise stream: the n-th training forward after this call draws noise
     * that depends only on {@code (key, n)} and the positions, never on earlier runs.
     */
    public void seedNoise(long key) {
        noiseKey = key;
        draws = 0;
    }

    /** The current Gumbel-softmax temperature (initially 1). */
    public float getTau() {
        return tau;
    }

    /**
     * Shows every following evaluation-mode forward's scores and value rows to {@code observer}
     * ({@code null}: to nobody). Training forwards never call it.
     */
    public void setObserver(AttentionObserver observer) {
        this.observer = observer;
    }

    /** The ALiBi slopes {@code m_h} this block uses (a copy). */
    public float[] getSlopes() {
        return slopes.clone();
    }

    /** {@code q.*}, {@code k.*}, {@code v.*}, {@code o.*} (see {@link BitLinear#namedParameters()}). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        put(m, "q", q);
        put(m, "k", k);
        put(m, "v", v);
        put(m, "o", o);
        return m;
    }

    private static void put(Map<String, Parameter> m, String prefix, BitLinear layer) {
        layer.namedParameters().forEach((name, p) -> m.put(prefix + "." + name, p));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray hb = inputs.singletonOrThrow();                                         // (B, T, d)
        long b = hb.getShape().get(0);
        int t = Math.toIntExact(hb.getShape().get(1));
        try (NDArray qh = heads(q.forward(ps, inputs, training).singletonOrThrow(), b, t); // (B, H, T, dh)
             NDArray kh = heads(k.forward(ps, inputs, training).singletonOrThrow(), b, t);
             NDArray vh = heads(v.forward(ps, inputs, training).singletonOrThrow(), b, t);
             NDArray out = attend(qh, kh, vh, training);                                // (B, H, T, dh)
             NDArray perQuery = out.transpose(0, 2, 1, 3);
             NDArray concat = perQuery.reshape(b, t, dModel)) {                        // (B, T, d)
            return o.forward(ps, new NDList(concat), training);
        }
    }

    /**
     * The pointer (or, in the float ablation, softmax) attention over heads: {@code q, k}
     * {@code (B, H, T, dh)} and {@code v (B, H, T, dv)} to {@code (B, H, T, dv)}, each query's
     * row being the value row it points to.
     *
     * <p>The {@code (B, H, T, T)} arrays are closed as soon as they are used: autograd keeps what
     * backward needs (its saved tensors hold their own references), and anything else would stay
     * allocated until the step ends (GPU memory grew by about 1 GB per {@code 75m} layer).
     */
    NDArray attend(NDArray qh, NDArray kh, NDArray vh, boolean training) {
        try (NDArray score = scores(qh, kh)) {                      // (B, H, T, T); j > i is -inf
            if (!training && observer != null) {
                observer.observe(score, vh);
            }
            if (floatAblation) {
                try (NDArray p = score.softmax(-1)) {
                    return p.matMul(vh);
                }
            }
            if (!training) {
                return pick(vh, score);                             // PyTorch's argmax keeps the first maximum
            }
            // a = onehot(argmax z) + (p - stopGradient(p)). a @ v is computed as
            // gather(v, argmax z) + (r - stopGradient(r)) with r = p @ stopGradient(v): the same
            // value (the second term is exactly 0) and the same gradients (to p: g @ v^T; to v: only
            // through the one-hot, as (p - p)^T @ g is exactly 0), without the one-hot matrix, a
            // (B, H, T, T) difference, or a wasted matmul in backward.
            try (NDArray noise = this.noise.causalNegGumbel(qh.getManager(), score.getShape(),
                         GumbelNoise.key(noiseKey, draws++))) {
                if (noiseScale != 1f) {
                    noise.muli(StepArrays.scalar(qh, noiseScale));
                }
                NDArray z = score.subi(noise).divi(StepArrays.scalar(qh, tau)); // (score + s G) / tau, in place
                if (hardness < 1f) {
                    return ramped(z, vh);
                }
                try (NDArray r = softmaxValues(z, vh); NDArray rFixed = r.stopGradient()) {
                    return pick(vh, z).addi(r.subi(rFixed));
                }
            }
        }
    }

    /** {@code (h (onehot(argmax z) + p - stopGradient(p)) + (1 - h) p) @ v} with {@code p = softmax(z)}, {@code (B, H, T, dh)}. */
    private NDArray ramped(NDArray z, NDArray vh) {
        try (NDArray p = z.softmax(-1);
             NDArray vFixed = vh.stopGradient();
             NDArray r = p.matMul(vFixed);
             NDArray rFixed = r.stopGradient();
             NDArray soft = p.matMul(vh)) {
            NDArray hard = pick(vh, z).addi(r.subi(rFixed));
            return hard.muli(StepArrays.scalar(vh, hardness)).addi(soft.muli(StepArrays.scalar(vh, 1f - hardness)));
        }
    }

    /** {@code r = softmax(z) @ stopGradient(v)}, {@code (B, H, T, dh)}. */
    private static NDArray softmaxValues(NDArray z, NDArray vh) {
        try (NDArray p = z.softmax(-1); NDArray vFixed = vh.stopGradient()) {
            return p.matMul(vFixed);
        }
    }

    /**
     * {@code (float)((q . k) * scale) - (float)(m_h * (float)(i - j))} for every head, query and
     * key, {@code (B, H, T, T)}, with {@code -inf} where {@code j > i}.
     */
    private NDArray scores(NDArray qh, NDArray kh) {
        int t = Math.toIntExact(qh.getShape().get(2));
        NDArray scale = StepArrays.scalar(qh, scoreScale);
        try (NDArray kt = kh.transpose(0, 1, 3, 2);
             NDArray bias = alibiBias(qh.getManager(), slopes, t)) {
            NDArray score;
            if (PowerOfTwo.is(scoreScale)) {
                // With a power-of-two scale (1/8 for d_head = 64) every partial sum of (q * scale) . k
                // is exact, so the scale goes to the query, T / d_head times smaller than the scores.
                try (NDArray qs = qh.mul(scale)) {
                    score = qs.matMul(kt);
                }
            } else {
                score = qh.matMul(kt).muli(scale);
            }
            return score.subi(bias);
        }
    }

    /** Row {@code argmax_j scores[b,h,i,j]} of {@code v (B, H, T, dh)} for every query: {@code (B, H, T, dh)}. */
    private static NDArray pick(NDArray v, NDArray scores) {
        try (NDArray argmax = scores.argMax(-1);                    // (B, H, T)
             NDArray column = argmax.expandDims(-1);
             NDArray index = column.broadcast(v.getShape())) {
            return v.gather(index, 2);
        }
    }

    /** {@code (B, T, d)} to the view {@code (B, H, T, dh)}; closes {@code x} (the view keeps its data). */
    private NDArray heads(NDArray x, long b, int t) {
        try (x; NDArray split = x.reshape(b, t, nHeads, dHead)) {
            return split.transpose(0, 2, 1, 3);
        }
    }

    /**
     * The ALiBi term with the causal mask folded in, {@code (H, T, T)}: {@code (float)(m_h * (float)(i - j))}
     * for {@code j <= i} and {@code +inf} for {@code j > i}, so that {@code score - bias} is
     * {@code -inf} exactly where keys are masked. Made on {@code manager}'s device from fills and
     * device ops only (a copy from the host would make the GPU wait).
     */
    static NDArray alibiBias(NDManager manager, float[] slopes, int t) {
        try (NDArray pos = manager.arange(0f, (float) t, 1f, DataType.FLOAT32);
             NDArray column = pos.reshape(t, 1);
             NDArray row = pos.reshape(1, t);
             NDArray dist = column.sub(row);                                   // (T, T): i - j, exact
             NDArray causal = dist.gte(StepArrays.scalar(dist, 0f));          // gte(0f) would copy 0 from the host
             NDArray causalFloat = causal.toType(DataType.FLOAT32, false);
             NDArray mask = causalFloat.log().negi();                          // -0 for j <= i, +inf for j > i
             NDArray slopeVector = StepArrays.vector(manager, slopes);
             NDArray m = slopeVector.reshape(slopes.length, 1, 1)) {
            return m.mul(dist).addi(mask);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "PointerAttention(d=" + dModel + ", heads=" + nHeads + (floatAblation ? ", float ablation" : "") + ")";
    }
}
