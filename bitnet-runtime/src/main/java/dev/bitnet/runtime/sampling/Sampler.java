package dev.bitnet.runtime.sampling;

/**
 * Picks the next token from a vector of logits. Implementations may modify the array they are
 * given (it is a scratch copy).
 */
@FunctionalInterface
public interface Sampler {

    /** Greedy decoding: the highest logit, ties to the smallest token id. */
    Sampler GREEDY = Sampler::argmax;

    /** The chosen token id. */
    int sample(float[] logits);

    /** Index of the largest value, ties to the smallest index. */
    static int argmax(float[] values) {
        int best = 0;
        float bestValue = values[0]; // in a local: re-reading values[best] made each step wait on the last
        for (int i = 1; i < values.length; i++) {
            if (values[i] > bestValue) {
                best = i;
                bestValue = values[i];
            }
        }
        return best;
    }
}
