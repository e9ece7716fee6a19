package dev.bitnet.runtime.sampling;

/**
 * Picks the next token from a vector of logits. Implementations may modify the array they are
 * given (it is a scratch copy), and must return a valid index for any values, NaN and
 * infinities included (a loaded model's logits are always finite, a caller's need not be).
 */
@FunctionalInterface
public interface Sampler {

    /** Greedy decoding: the highest logit, ties to the smallest token id, NaN below everything. */
    Sampler GREEDY = Sampler::argmax;

    /** The chosen token id. */
    int sample(float[] logits);

    /** Index of the largest value, ties to the smallest index; NaN counts as lower than any number (0 if all are NaN). */
    static int argmax(float[] values) {
        return argmax(values, 0, values.length);
    }

    /** {@link #argmax(float[])} over {@code values[from..to)}: an absolute index, or -1 if the range is empty. */
    static int argmax(float[] values, int from, int to) {
        if (from >= to) {
            return -1;
        }
        int best = from;
        float bestValue = values[from]; // in a local: re-reading values[best] made each step wait on the last
        for (int i = from + 1; i < to; i++) {
            if (ranksAbove(values[i], bestValue)) {
                best = i;
                bestValue = values[i];
            }
        }
        return best;
    }

    /** Whether {@code a} ranks above {@code b} for {@link #argmax(float[])}: greater, or a number against NaN. */
    static boolean ranksAbove(float a, float b) {
        return a > b || Float.isNaN(b) && !Float.isNaN(a);
    }
}
