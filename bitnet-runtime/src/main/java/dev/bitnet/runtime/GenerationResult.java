package dev.bitnet.runtime;

/**
 * What one {@link Session#generate} call produced and how long it took.
 *
 * @param text            the generated text (without the prompt, end-of-text or stop string)
 * @param promptTokens    tokens fed before generating (the prompt)
 * @param generatedTokens tokens sampled (including those of a stop string, excluding end-of-text)
 * @param stopReason      why generation ended
 * @param promptNanos     time to feed the prompt and compute the first logits
 * @param generationNanos time spent sampling and decoding the new tokens
 */
public record GenerationResult(String text, int promptTokens, int generatedTokens, StopReason stopReason,
                               long promptNanos, long generationNanos) {

    /** Prompt tokens per second (0 when there was no prompt time). */
    public double promptTokensPerSecond() {
        return rate(promptTokens, promptNanos);
    }

    /** Generated tokens per second (0 when nothing was generated). */
    public double generationTokensPerSecond() {
        return rate(generatedTokens, generationNanos);
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
