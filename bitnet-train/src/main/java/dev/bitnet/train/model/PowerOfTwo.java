package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;

/**
 * Scales that may move to a smaller operand. Multiplying by a power of two only shifts the
 * exponent, so {@code (s * c) * a} and {@code s * (c * a)} are the same float32 value when
 * {@code c} is one (and {@code c * a} is a normal number): the model can scale a vector of
 * parameters instead of a large activation, and save a pass over memory forward and backward.
 */
final class PowerOfTwo {

    private PowerOfTwo() {
    }

    /**
     * {@code (s * c) * alpha} in float32, one rounding per multiply, for {@code s} the output of a
     * matrix product (overwritten when {@code c} is not a power of two: a product does not save its
     * output for backward). When {@code c} is a power of two it is {@code s * (c * alpha)}: the same
     * values, one pass fewer over {@code s} forward and backward.
     */
    static NDArray scaleThenMultiply(NDArray s, float c, NDArray alpha) {
        NDArray scale = StepArrays.scalar(s, c);
        if (is(c)) {
            try (NDArray scaledAlpha = alpha.mul(scale)) {
                return s.mul(scaledAlpha);
            }
        }
        return s.muli(scale).mul(alpha);
    }

    /** Whether {@code v} is {@code 2^k} for some k, with {@code 2^k} a normal float. */
    static boolean is(float v) {
        return v >= Float.MIN_NORMAL && Float.isFinite(v) && v == Math.scalb(1f, Math.getExponent(v));
    }
}
