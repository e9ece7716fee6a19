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
        int best = 0;
        float bestValue = values[0]; // in a local: re-reading values[best] made each step wait on the last
        for (int i = 1; i < values.length; i++) {
            if (values[i] > bestValue || Float.isNaN(bestValue) && !Float.isNaN(values[i])) {
                best = i;
                bestValue = values[i];
            }
        }
        return best;
    }
}
