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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gated XNOR feed-forward ({@code MODEL.md} "Block"): {@code g = BitLinearScaled(hb, d->F)},
 * {@code u = BitLinearScaled(hb, d->F)}, {@code z = g * u} (±1, the XNOR of the bits),
 * {@code out = BitLinearScaledRaw(z, F->d)}. Input ±1 {@code (B, T, d)}, output float
 * {@code (B, T, d)}. In the float ablation the three projections are float and {@code z = g * u}.
 */
public final class XnorFfn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BitLinear gate;
    private final BitLinear up;
    private final BitLinear down;

    /**
     * @param dModel        width d
     * @param dFf           hidden width F
     * @param outAlphaInit  initial alpha of the down projection ({@code 1/sqrt(2L)} in the spec)
     * @param floatAblation the float twin
     */
    public XnorFfn(int dModel, int dFf, float outAlphaInit, boolean floatAblation) {
        super(VERSION);
        gate = addChildBlock("gate", BitLinear.builder().setInputs(dModel).setUnits(dFf)
                .optFloatAblation(floatAblation).build());
        up = addChildBlock("up", BitLinear.builder().setInputs(dModel).setUnits(dFf)
                .optFloatAblation(floatAblation).build());
        down = addChildBlock("down", BitLinear.builder().setInputs(dFf).setUnits(dModel).optRawOutput(true)
                .optAlphaInit(outAlphaInit).optFloatAblation(floatAblation).build());
    }

    /** {@code gate.*}, {@code up.*}, {@code down.*} (see {@link BitLinear#namedParameters()}). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        gate.namedParameters().forEach((name, p) -> m.put("gate." + name, p));
        up.namedParameters().forEach((name, p) -> m.put("up." + name, p));
        down.namedParameters().forEach((name, p) -> m.put("down." + name, p));
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        try (NDArray g = gate.forward(ps, inputs, training).singletonOrThrow();   // (B, T, F)
             NDArray u = up.forward(ps, inputs, training).singletonOrThrow();     // (B, T, F)
             NDArray z = g.mul(u)) {
            return down.forward(ps, new NDList(z), training);                   // (B, T, d)
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
