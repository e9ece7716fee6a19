package dev.bitnet.runtime.sampling;

/**
 * The CTRL repetition penalty: the logit of every token among the recent ones is divided by
 * {@code penalty} if positive and multiplied by it if negative (each token once).
 *
 * @param penalty > 0; 1 is no penalty, above 1 discourages repeats
 */
public record RepetitionPenalty(float penalty) {

    /** @throws IllegalArgumentException if penalty is not a finite value > 0 */
    public RepetitionPenalty {
        if (!(penalty > 0f) || !Float.isFinite(penalty)) {
            throw new IllegalArgumentException("repetition penalty must be a finite value > 0, got " + penalty);
        }
    }

    /** Applies the penalty in place for tokens {@code recent[0 .. count)}. */
    public void apply(float[] logits, int[] recent, int count) {
        next:
        for (int i = 0; i < count; i++) {
            int t = recent[i];
            for (int j = 0; j < i; j++) {
                if (recent[j] == t) {
                    continue next; // penalised once already
                }
            }
            float l = logits[t];
            logits[t] = l > 0f ? l / penalty : l * penalty;
        }
    }
}
