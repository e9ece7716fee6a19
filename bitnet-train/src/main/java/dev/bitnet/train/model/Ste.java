package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;

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
        return v.stopGradient().sign().addi(0.5f).signi();
    }

    /** Weights: forward {@code sign(w)}, backward identity. */
    public static NDArray signSte(NDArray w) {
        return sign(w).addi(w.sub(w.stopGradient()));
    }

    /** Activations: forward {@code sign(h)}, backward the gradient only where {@code |h| <= 1}. */
    public static NDArray signSteClipped(NDArray h) {
        // (h - stopGradient(h)) * inside + sign(h): exactly sign(h) forward (the first term is 0),
        // and gradient * inside backward, the gradient of the spec's clip(h, -1, 1) (up to the
        // sign of its zeros). One vectorised multiply where PyTorch's clamp backward makes four
        // serial boolean passes; in place after the first op, which autograd allows because
        // neither sub nor a multiply by a constant saves its output. The sign is closed once
        // added: a step's arrays otherwise live until the step ends.
        try (NDArray sign = sign(h)) {
            return h.sub(h.stopGradient()).muli(inside(h)).addi(sign);
        }
    }

    /**
     * 1 where {@code |h| <= 1}, else 0, without a gradient: {@code clip(2^30 + 2^7 - 2^30 |h|, 0, 1)}.
     * Exact in float32: for {@code |h| <= 1} the sum is at least 2^7, and for
     * {@code |h| >= 1 + 2^-23} (the next float) at most 0. Four float passes, because PyTorch's
     * comparisons and boolean-to-float casts run serially (measured 9 ms against 2 for one
     * {@code tiny} FFN activation).
     */
    static NDArray inside(NDArray h) {
        try (NDArray beforeClip = h.stopGradient().abs().muli(-0x1p30f).addi(0x1p30f + 0x1p7f)) {
            return beforeClip.clip(0f, 1f);
        }
    }
}
