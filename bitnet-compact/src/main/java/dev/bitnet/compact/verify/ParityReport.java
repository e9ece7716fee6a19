package dev.bitnet.compact.verify;

import java.util.Locale;

/**
 * The outcome of a parity check.
 *
 * @param positions      logit positions compared bit for bit (each V values)
 * @param greedyTokens   greedy tokens compared (trainer argmax chain vs the runtime's generation)
 * @param greedyText     the continuation's text as the runtime generated it
 * @param trainerMillis  time of the trainer's forwards (DJL, CPU)
 * @param runtimeMillis  time of the runtime's forwards
 * @param mismatch       the first difference, or null when everything agreed
 */
public record ParityReport(int positions, int greedyTokens, String greedyText, long trainerMillis,
                           long runtimeMillis, Mismatch mismatch) {

    /** Whether logits and greedy continuation agreed everywhere. */
    public boolean passed() {
        return mismatch == null;
    }

    /** One line for the console. */
    public String summary() {
        if (!passed()) {
            return "parity FAILED: " + mismatch;
        }
        return String.format(Locale.ROOT, "parity ok: %,d positions of logits bit-identical, %d greedy tokens equal"
                + " (trainer %.1f s, runtime %.1f s)", positions, greedyTokens, trainerMillis / 1e3, runtimeMillis / 1e3);
    }
}
