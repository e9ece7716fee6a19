package dev.bitnet.train.model;

/**
 * Scales that may move to a smaller operand. Multiplying by a power of two only shifts the
 * exponent, so {@code (s * c) * a} and {@code s * (c * a)} are the same float32 value when
 * {@code c} is one (and {@code c * a} is a normal number): the model can scale a vector of
 * parameters instead of a large activation, and save a pass over memory forward and backward.
 */
final class PowerOfTwo {

    private PowerOfTwo() {
    }

    /** Whether {@code v} is {@code 2^k} for some k, with {@code 2^k} a normal float. */
    static boolean is(float v) {
        return v >= Float.MIN_NORMAL && Float.isFinite(v) && v == Math.scalb(1f, Math.getExponent(v));
    }
}
