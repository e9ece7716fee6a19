package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.bitnet.core.model.BitMath;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ±1 matrix with per-output-channel scale, {@code MODEL.md} "BitLinear":
 * <pre>
 *   s = x @ sign_ste(W)^T;  u = s * c_in,  c_in = (float)(1/sqrt(in))
 *   binary output: y = sign_ste_clipped(u * alpha - theta)      (BitLinearScaled)
 *   raw output:    y = u * alpha + b                            (BitLinearScaledRaw)
 * </pre>
 * in float32, one rounding per operation, in that order. Input {@code (..., in)}, output
 * {@code (..., out)}. Parameters: {@code weight [out, in]}, {@code alpha [out]} and
 * {@code theta [out]} (binary) or {@code bias [out]} (raw). When {@code c_in} is a power of two
 * ({@code in = 4^k}, e.g. 256), {@code u * alpha} is computed as {@code s * (c_in * alpha)}: the
 * same value (see {@link PowerOfTwo}), with one pass fewer over the activation.
 *
 * <p>In the float ablation the same parameters compute {@code (x @ W^T) * alpha - theta} or
 * {@code (x @ W^T) * alpha + b}: no sign, no {@code c_in}.
 */
public final class BitLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputs;
    private final int units;
    private final boolean rawOutput;
    private final boolean floatAblation;
    private final float cIn;

    private final Parameter weight;
    private final Parameter alpha;
    private final Parameter thetaOrBias;

    private BitLinear(Builder b) {
        super(VERSION);
        inputs = b.inputs;
        units = b.units;
        rawOutput = b.rawOutput;
        floatAblation = b.floatAblation;
        cIn = BitMath.invSqrt(inputs);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(units, inputs)).optInitializer(new NormalInitializer(0.02f)).build());
        alpha = addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(units)).optInitializer(new ConstantInitializer(b.alphaInit)).build());
        thetaOrBias = addParameter(Parameter.builder().setName(rawOutput ? "bias" : "theta")
                .setType(Parameter.Type.BIAS).optShape(new Shape(units))
                .optInitializer(new ConstantInitializer(0f)).build());
    }

    /** A builder; {@link Builder#setInputs} and {@link Builder#setUnits} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code weight}, {@code alpha}, then {@code theta} or {@code bias}, in that order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", weight);
        m.put("alpha", alpha);
        m.put(rawOutput ? "bias" : "theta", thetaOrBias);
        return m;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = StepArrays.parameter(ps, weight, x, training);
        NDArray a = StepArrays.parameter(ps, alpha, x, training);
        NDArray t = StepArrays.parameter(ps, thetaOrBias, x, training);
        return new NDList(floatAblation ? floatLinear(x, w, a, t, rawOutput) : bitLinear(x, w, a, t, cIn, rawOutput));
    }

    /**
     * The 1-bit forward of the spec. {@code x} is ±1 {@code (..., in)}; {@code w} the latent
     * {@code [out, in]}; {@code t} is theta (binary) or the bias (raw).
     */
    public static NDArray bitLinear(NDArray x, NDArray w, NDArray alpha, NDArray t, float cIn, boolean raw) {
        NDArray y;
        try (NDArray wb = Ste.signSte(w); NDArray wbT = wb.transpose(); NDArray s = x.matMul(wbT)) { // (..., out), exact integers
            y = PowerOfTwo.scaleThenMultiply(s, cIn, alpha);
        }
        if (raw) {
            return y.addi(t);
        }
        // y + (-theta), which IEEE defines to equal y - theta: subtracting a parameter makes
        // autograd negate the whole (..., out) gradient before summing it to theta's [out].
        try (y; NDArray minusTheta = t.neg()) {
            return Ste.signSteClipped(y.addi(minusTheta));
        }
    }

    /** The float ablation: {@code (x @ W^T) * alpha - theta} or {@code (x @ W^T) * alpha + b}. */
    public static NDArray floatLinear(NDArray x, NDArray w, NDArray alpha, NDArray t, boolean raw) {
        NDArray y = x.matMul(w.transpose()).mul(alpha);
        return raw ? y.addi(t) : y.addi(t.neg());                  // y - theta, as in bitLinear
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(units)};
    }

    @Override
    public String toString() {
        return "BitLinear(" + inputs + " -> " + units + (rawOutput ? ", raw" : ", binary")
                + (floatAblation ? ", float ablation" : "") + ")";
    }

    /** Builder of {@link BitLinear}. */
    public static final class Builder {
        private int inputs;
        private int units;
        private boolean rawOutput;
        private boolean floatAblation;
        private float alphaInit = 1f;

        private Builder() {
        }

        /** Input width {@code in} (required). */
        public Builder setInputs(int inputs) {
            this.inputs = inputs;
            return this;
        }

        /** Output width {@code out} (required). */
        public Builder setUnits(int units) {
            this.units = units;
            return this;
        }

        /** Float output {@code u * alpha + b} instead of ±1; default false (binary). */
        public Builder optRawOutput(boolean rawOutput) {
            this.rawOutput = rawOutput;
            return this;
        }

        /** Initial value of every {@code alpha}; default 1 (the spec sets {@code 1/sqrt(2L)} for raw layers). */
        public Builder optAlphaInit(float alphaInit) {
            this.alphaInit = alphaInit;
            return this;
        }

        /** The float twin: no sign, no {@code c_in}; default false. */
        public Builder optFloatAblation(boolean floatAblation) {
            this.floatAblation = floatAblation;
            return this;
        }

        /** Builds the block; throws {@link IllegalArgumentException} naming a missing or bad width. */
        public BitLinear build() {
            if (inputs <= 0) {
                throw new IllegalArgumentException("BitLinear inputs must be > 0, got " + inputs);
            }
            if (units <= 0) {
                throw new IllegalArgumentException("BitLinear units must be > 0, got " + units);
            }
            return new BitLinear(this);
        }
    }
}
