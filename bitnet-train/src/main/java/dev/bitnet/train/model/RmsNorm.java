package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.bitnet.core.model.BitMath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSNorm, then binarize ({@code MODEL.md}): {@code h = x / sqrt(mean(x^2) + 1e-6) * gamma},
 * {@code hb = sign_ste_clipped(h)} over the last axis of {@code (..., d)}. In the float
 * ablation the output is {@code h} itself. Parameter: {@code gamma [d]}, initialised to 1.
 */
public final class RmsNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final boolean binarize;
    private final Parameter gamma;

    /**
     * @param dim      width {@code d} of the last axis
     * @param binarize true for {@code sign_ste_clipped(h)} (1-bit model), false for {@code h} (float ablation)
     */
    public RmsNorm(int dim, boolean binarize) {
        super(VERSION);
        if (dim <= 0) {
            throw new IllegalArgumentException("RmsNorm width must be > 0, got " + dim);
        }
        this.dim = dim;
        this.binarize = binarize;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim)).optInitializer(new ConstantInitializer(1f)).build());
    }

    /** {@code gamma}. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("gamma", gamma);
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = StepArrays.parameter(ps, gamma, x, training);
        NDArray h = rmsNorm(x, g);
        if (!binarize) {
            return new NDList(h);
        }
        try (h) {                                   // autograd keeps what it needs; the handle would keep (B, T, d)
            return new NDList(Ste.signSteClipped(h));
        }
    }

    /** {@code x / sqrt(mean(x^2) + 1e-6) * gamma} over the last axis. */
    public static NDArray rmsNorm(NDArray x, NDArray gamma) {
        try (NDArray square = x.square(); NDArray meanSquare = square.mean(new int[] {-1}, true);
             NDArray rms = meanSquare.addi(StepArrays.scalar(x, BitMath.RMS_NORM_EPS)).sqrt(); NDArray normed = x.div(rms)) {
            return normed.mul(gamma);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "RmsNorm(" + dim + (binarize ? ", binarize" : "") + ")";
    }
}
