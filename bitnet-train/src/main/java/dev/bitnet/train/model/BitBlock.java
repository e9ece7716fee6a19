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
import dev.bitnet.core.config.ModelConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One transformer block, pre-norm and sequential ({@code MODEL.md} "Block"):
 * <pre>
 *   x = x + Attention(binarize(RMSNorm_attn(x)))
 *   x = x + FFN(binarize(RMSNorm_ffn(x)))
 * </pre>
 * Input and output: the float residual stream {@code (B, T, d)}.
 */
public final class BitBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RmsNorm attnNorm;
    private final PointerAttention attn;
    private final RmsNorm ffnNorm;
    private final XnorFfn ffn;

    /**
     * @param config        the model shape (d, H, F and L, which sets the residual projections' alpha)
     * @param floatAblation the float twin
     */
    public BitBlock(ModelConfig config, boolean floatAblation) {
        super(VERSION);
        int d = config.dModel();
        float residualAlpha = (float) (1.0 / Math.sqrt(2.0 * config.nLayers()));
        attnNorm = addChildBlock("attn_norm", new RmsNorm(d, !floatAblation));
        attn = addChildBlock("attn", new PointerAttention(d, config.nHeads(), residualAlpha, floatAblation));
        ffnNorm = addChildBlock("ffn_norm", new RmsNorm(d, !floatAblation));
        ffn = addChildBlock("ffn", new XnorFfn(d, config.dFf(), residualAlpha, floatAblation));
    }

    /** The block's attention (to set its temperature). */
    public PointerAttention getAttention() {
        return attn;
    }

    /**
     * {@code attn_norm.gamma}, {@code attn.{q,k,v}.{weight,alpha,theta}}, {@code attn.o.{weight,alpha,bias}},
     * {@code ffn_norm.gamma}, {@code ffn.{gate,up}.{weight,alpha,theta}}, {@code ffn.down.{weight,alpha,bias}}.
     */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        attnNorm.namedParameters().forEach((name, p) -> m.put("attn_norm." + name, p));
        attn.namedParameters().forEach((name, p) -> m.put("attn." + name, p));
        ffnNorm.namedParameters().forEach((name, p) -> m.put("ffn_norm." + name, p));
        ffn.namedParameters().forEach((name, p) -> m.put("ffn." + name, p));
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                          // (B, T, d)
        try (NDArray mid = attentionStep(ps, x, training)) {
            return new NDList(ffnStep(ps, mid, training));
        }
    }

    /** The first half of the block: {@code x + Attention(binarize(RMSNorm_attn(x)))}, {@code (B, T, d)}. */
    public NDArray attentionStep(ParameterStore ps, NDArray x, boolean training) {
        try (NDList hb = attnNorm.forward(ps, new NDList(x), training);
             NDList update = attn.forward(ps, hb, training)) {
            return x.add(update.singletonOrThrow());
        }
    }

    /** The second half of the block: {@code x + FFN(binarize(RMSNorm_ffn(x)))}, {@code (B, T, d)}. */
    public NDArray ffnStep(ParameterStore ps, NDArray x, boolean training) {
        try (NDList hb = ffnNorm.forward(ps, new NDList(x), training);
             NDList update = ffn.forward(ps, hb, training)) {
            return x.add(update.singletonOrThrow());
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
}
