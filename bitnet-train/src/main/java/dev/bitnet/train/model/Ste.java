package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The straight-through estimators of {@code MODEL.md}, written as {@code exact + (x - stopGradient(x))}
 * so that the forward value is exactly ±1 in float32 while the gradient flows through {@code x}.
 */
public final class Ste {

    private Ste() {
    }

    /**
     * The spec's {@code sign}: +1 where {@code v >= 0} (so -0.0 gives +1), else -1; never 0.
     * Carries no gradient (it is computed from {@code stopGradient(v)}), which is what the
     * estimators need.
     */
    public static NDArray sign(NDArray v) {
        // PyTorch's sign gives 0 at ±0; sign(sign(v) + 0.5) moves that 0 to +1, exactly. Three
        // vectorised float passes: the boolean route ((v >= 0) as float * 2 - 1) was 6x slower.
        try (NDArray fixed = v.stopGradient()) {
            return fixed.sign().addi(StepArrays.scalar(v, 0.5f)).signi();
        }
    }

    /** Weights: forward {@code sign(w)}, backward identity. */
    public static NDArray signSte(NDArray w) {
        try (NDArray fixed = w.stopGradient(); NDArray zero = w.sub(fixed)) {
            return sign(w).addi(zero);
        }
    }

    /** Activations: forward {@code sign(h)}, backward the gradient only where {@code |h| <= 1}. */
    public static NDArray signSteClipped(NDArray h) {
        // (h - stopGradient(h)) * inside + sign(h): exactly sign(h) forward (the first term is 0),
        // and gradient * inside backward, the gradient of the spec's clip(h, -1, 1) (up to the
        // sign of its zeros). One vectorised multiply where PyTorch's clamp backward makes four
        // serial boolean passes; in place after the first op, which autograd allows because
        // neither sub nor a multiply by a constant saves its output. The sign is closed once
        // added: a step's arrays otherwise live until the step ends.
        try (NDArray sign = sign(h); NDArray fixed = h.stopGradient(); NDArray mask = inside(h)) {
            return h.sub(fixed).muli(mask).addi(sign);
        }
    }

    /**
     * 1 where {@code |h| <= 1}, else 0, without a gradient. On a GPU {@code |h| <= 1} as a float;
     * on the CPU {@code clip(2^30 + 2^7 - 2^30 |h|, 0, 1)}, because PyTorch's CPU comparisons and
     * boolean-to-float casts run serially (measured 9 ms against 2 for one {@code tiny} FFN
     * activation). Exact in float32: for {@code |h| <= 1} the sum is at least 2^7, and for
     * {@code |h| >= 1 + 2^-23} (the next float) at most 0.
     */
    static NDArray inside(NDArray h) {
        try (NDArray fixed = h.stopGradient(); NDArray magnitude = fixed.abs()) {
            if (h.getDevice().isGpu()) {
                // On a GPU comparisons are vectorised like everything else: two passes fewer.
                try (NDArray inside = magnitude.lte(StepArrays.scalar(h, 1f))) {
                    return inside.toType(DataType.FLOAT32, false);
                }
            }
            NDArray beforeClip = magnitude.muli(StepArrays.scalar(h, -0x1p30f)).addi(StepArrays.scalar(h, 0x1p30f + 0x1p7f));
            return beforeClip.clip(0f, 1f);
        }
    }
}
