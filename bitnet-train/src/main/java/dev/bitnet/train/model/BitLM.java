package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BitNet v75 language model ({@code MODEL.md}): int32 tokens {@code (B, T)} to float32
 * next-token logits {@code (B, T, V)}.
 * <pre>
 *   Eb = sign_ste(E)                                   tied embedding and head, [V, d]
 *   x  = Eb[token] * e_scale                           (B, T, d)
 *   x  = block_l(x)  for l = 0..L-1
 *   hb = binarize(RMSNorm_out(x))
 *   logits = ((hb @ Eb^T) * (float)(1/sqrt(d))) * alpha_v + b_v
 * </pre>
 * (computed as {@code (hb @ Eb^T) * ((float)(1/sqrt(d)) * alpha_v)} when {@code 1/sqrt(d)} is a
 * power of two, the same float32 values: see {@link PowerOfTwo}).
 * Evaluation mode ({@code training = false}) is deterministic and is the reference the
 * exporter's parity test holds the runtime to. Training mode draws Gumbel noise for the
 * attention, a function of (seed, step) set by {@link #setNoiseSeed(long, long)}.
 *
 * <p>Initialise with {@link #initialize(NDManager)} (float32) after seeding the engine
 * ({@code Engine.getInstance().setRandomSeed(seed)}) for a reproducible start. Arrays made
 * during the forward belong to the manager of the input tokens: give the tokens a per-step
 * sub-manager and run the forward inside the GradientCollector.
 */
public final class BitLM extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelConfig config;
    private final boolean floatAblation;
    private final float headScale;

    private final Parameter embedding;
    private final Parameter embeddingScale;
    private final Parameter headAlpha;
    private final Parameter headBias;
    private final List<BitBlock> layers;
    private final RmsNorm normOut;

    private BitLM(Builder b) {
        super(VERSION);
        config = b.config;
        floatAblation = b.floatAblation;
        int v = config.vocabSize();
        int d = config.dModel();
        headScale = BitMath.invSqrt(d);
        // The float twin has no head scale in GPT-2; the 1-bit model starts at 1/sqrt(d) (spec).
        float alphaV = b.alphaVInit != null ? b.alphaVInit : floatAblation ? 1f : headScale;
        embedding = addParameter(Parameter.builder().setName("embedding.weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(v, d)).optInitializer(new NormalInitializer(0.02f)).build());
        embeddingScale = addParameter(Parameter.builder().setName("embedding.scale").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(d)).optInitializer(new ConstantInitializer(1f)).build());
        headAlpha = addParameter(Parameter.builder().setName("head.alpha").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(v)).optInitializer(new ConstantInitializer(alphaV)).build());
        headBias = addParameter(Parameter.builder().setName("head.bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(v)).optInitializer(new ConstantInitializer(0f)).build());
        List<BitBlock> blocks = new ArrayList<>();
        for (int l = 0; l < config.nLayers(); l++) {
            blocks.add(addChildBlock("layers." + l, new BitBlock(config, floatAblation)));
        }
        layers = Collections.unmodifiableList(blocks);
        normOut = addChildBlock("norm_out", new RmsNorm(d, !floatAblation));
        setNoiseSeed(0, 0);
    }

    /** A builder; {@link Builder#setConfig} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model shape. */
    public ModelConfig getConfig() {
        return config;
    }

    /** Whether this is the float twin (no sign anywhere, softmax attention). */
    public boolean isFloatAblation() {
        return floatAblation;
    }

    /** The blocks, in order. */
    public List<BitBlock> getLayers() {
        return layers;
    }

    /**
     * Every trained parameter by its checkpoint name, in {@code ModelLayout} file order:
     * {@code embedding.weight}, {@code embedding.scale}, then per layer {@code l}
     * {@code layers.l.attn_norm.gamma}, {@code layers.l.attn.{q,k,v}.{weight,alpha,theta}},
     * {@code layers.l.attn.o.{weight,alpha,bias}}, {@code layers.l.ffn_norm.gamma},
     * {@code layers.l.ffn.{gate,up}.{weight,alpha,theta}}, {@code layers.l.ffn.down.{weight,alpha,bias}};
     * then {@code norm_out.gamma}, {@code head.alpha}, {@code head.bias}.
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("embedding.weight", embedding);
        m.put("embedding.scale", embeddingScale);
        for (int l = 0; l < layers.size(); l++) {
            String prefix = "layers." + l + ".";
            layers.get(l).namedParameters().forEach((name, p) -> m.put(prefix + name, p));
        }
        normOut.namedParameters().forEach((name, p) -> m.put("norm_out." + name, p));
        m.put("head.alpha", headAlpha);
        m.put("head.bias", headBias);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Whether the named parameter is a latent matrix (the tied embedding or a BitLinear
     * {@code W}): weight decay and the [-1, 1] clamp apply to these only.
     */
    public static boolean isLatentMatrix(String name) {
        return name.endsWith(".weight");
    }

    /** Number of trained values, from the parameter shapes (needs no initialisation). */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** Sets the Gumbel-softmax temperature of every attention block (the trainer's tau schedule). */
    public void setTau(float tau) {
        for (BitBlock layer : layers) {
            layer.getAttention().setTau(tau);
        }
    }

    /** Sets how hard every attention block's training forward is ({@link PointerAttention#setHardness}). */
    public void setAttentionHardness(float hardness) {
        for (BitBlock layer : layers) {
            layer.getAttention().setHardness(hardness);
        }
    }

    /** Sets the scale of every attention block's Gumbel noise ({@link PointerAttention#setNoiseScale}). */
    public void setNoiseScale(float scale) {
        for (BitBlock layer : layers) {
            layer.getAttention().setNoiseScale(scale);
        }
    }

    /** The current Gumbel-softmax temperature. */
    public float getTau() {
        return layers.getFirst().getAttention().getTau();
    }

    /**
     * Makes the Gumbel noise of the following training forwards a function of
     * {@code (runSeed, step)}, the layer and the number of forwards since this call (the
     * micro-batch). DJL cannot save the engine's random state, so the trainer calls this once
     * per step, before the first micro-batch, and a resumed run draws the same noise as an
     * uninterrupted one. A new model starts as if {@code setNoiseSeed(0, 0)} had been called.
     */
    public void setNoiseSeed(long runSeed, long step) {
        long key = GumbelNoise.key(runSeed, step);
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).getAttention().seedNoise(GumbelNoise.key(key, l));
        }
    }

    /** Initialises every parameter in float32 on {@code manager}'s device, per the spec's init. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();                                    // (B, T) int32
        if (tokens.getShape().dimension() != 2
                || (tokens.getDataType() != DataType.INT32 && tokens.getDataType() != DataType.INT64)) {
            throw new IllegalArgumentException("BitLM expects int32 tokens of shape (B, T), got "
                    + tokens.getDataType() + " " + tokens.getShape());
        }
        NDArray e = StepArrays.parameter(ps, embedding, tokens, training);
        // Arrays are closed once used, as Python frees them: autograd keeps its own references to
        // what backward needs, and an open handle would hold its memory until the step ends.
        try (NDArray eb = floatAblation ? e : Ste.signSte(e)) {                        // (V, d)
            NDArray x;
            try (NDArray rows = tokens.getNDArrayInternal().embedding(tokens, eb, SparseFormat.DENSE).singletonOrThrow();
                 NDArray scale = StepArrays.parameter(ps, embeddingScale, tokens, training)) {
                x = rows.mul(scale);                                                   // (B, T, d)
            }
            for (BitBlock layer : layers) {
                try (NDArray in = x) {
                    x = layer.forward(ps, new NDList(in), training).singletonOrThrow();
                }
            }
            NDArray logits;
            try (NDArray last = x; NDArray hb = normOut.forward(ps, new NDList(last), training).singletonOrThrow(); // (B, T, d)
                 NDArray ebT = eb.transpose()) {
                logits = hb.matMul(ebT);                                               // (B, T, V)
            }
            try (logits; NDArray alphaV = StepArrays.parameter(ps, headAlpha, tokens, training)) {
                NDArray scaled = floatAblation ? logits.mul(alphaV) : PowerOfTwo.scaleThenMultiply(logits, headScale, alphaV);
                return new NDList(scaled.addi(StepArrays.parameter(ps, headBias, tokens, training)));  // (B, T, V)
            }
        }
    }

    /**
     * Logits {@code (B, T, V)} of int32 {@code tokens (B, T)} in {@code [0, V)} (not checked here:
     * that would cost a device sync per step), with a parameter store that copies nothing.
     */
    public NDArray forward(NDArray tokens, boolean training) {
        return forward(new ParameterStore(tokens.getManager(), false), new NDList(tokens), training)
                .singletonOrThrow();
    }

    /**
     * Evaluation-mode logits of one sequence, deterministic: row-major {@code (T, V)} float32,
     * row {@code i} predicting the token after {@code tokens[i]}. Temporary arrays live in a
     * sub-manager of {@code manager} and are freed before returning.
     */
    public float[] evalLogits(NDManager manager, int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("evalLogits needs at least one token");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + i + " is " + tokens[i] + ", outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.create(tokens, new Shape(1, tokens.length));
            return forward(input, false).toFloatArray();
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("BitLM trains in float32 only (the spec's exactness), got " + dataType);
        }
        Shape residual = new Shape(1, inputShapes[0].get(1), config.dModel());
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, residual);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};
    }

    @Override
    public String toString() {
        return "BitLM(" + config + (floatAblation ? ", float ablation" : "") + ")";
    }

    /** Builder of {@link BitLM}. */
    public static final class Builder {
        private ModelConfig config;
        private boolean floatAblation;
        private Float alphaVInit;

        private Builder() {
        }

        /** The model shape (required). */
        public Builder setConfig(ModelConfig config) {
            this.config = config;
            return this;
        }

        /** The float twin: no sign anywhere, no {@code 1/sqrt(in)}, softmax attention; default false. */
        public Builder optFloatAblation(boolean floatAblation) {
            this.floatAblation = floatAblation;
            return this;
        }

        /**
         * Initial head scale {@code alpha_v}; default {@code 1/sqrt(d)} (1-bit) or 1 (float twin).
         * The spec's option for very short runs is 1.
         */
        public Builder optAlphaVInit(float alphaVInit) {
            if (!Float.isFinite(alphaVInit)) {
                throw new IllegalArgumentException("alpha_v init must be finite, got " + alphaVInit);
            }
            this.alphaVInit = alphaVInit;
            return this;
        }

        /** Builds the model (no arrays yet: call {@link BitLM#initialize(NDManager)}). */
        public BitLM build() {
            if (config == null) {
                throw new IllegalArgumentException("BitLM needs a ModelConfig (setConfig)");
            }
            return new BitLM(this);
        }
    }
}
