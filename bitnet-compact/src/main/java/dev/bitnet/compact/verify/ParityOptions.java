package dev.bitnet.compact.verify;

import dev.bitnet.core.config.ModelConfig;

/**
 * How much a parity check compares.
 *
 * @param windowLength tokens per logits window (at most the model's context)
 * @param windows      windows, taken one after another from the start of the text
 * @param promptTokens tokens of the text that start the greedy continuation
 * @param greedyTokens tokens of greedy continuation compared (0: none)
 */
public record ParityOptions(int windowLength, int windows, int promptTokens, int greedyTokens) {

    /** Positions the command line's {@code --verify} compares at least. */
    public static final int MIN_POSITIONS = 2048;
    /** Greedy tokens the command line's {@code --verify} compares. */
    public static final int GREEDY_TOKENS = 64;

    public ParityOptions {
        if (windowLength < 1 || windows < 1 || promptTokens < 1 || greedyTokens < 0) {
            throw new IllegalArgumentException("parity options must be positive, got window " + windowLength
                    + ", windows " + windows + ", prompt " + promptTokens + ", greedy " + greedyTokens);
        }
    }

    /**
     * The command line's check: windows of {@code min(T, 1024)} tokens covering at least
     * {@value #MIN_POSITIONS} positions (8 x 256 for {@code tiny}, 2 x 1024 for the GPT-2
     * presets), and {@value #GREEDY_TOKENS} greedy tokens after a 16-token prompt (fewer when
     * the context is shorter than 80 tokens: prompt and continuation must fit in it).
     */
    public static ParityOptions full(ModelConfig config) {
        int window = Math.min(config.context(), 1024);
        int windows = (MIN_POSITIONS + window - 1) / window;
        int prompt = Math.max(1, Math.min(16, config.context() / 2));
        int greedy = Math.min(GREEDY_TOKENS, config.context() - prompt);
        return new ParityOptions(window, windows, prompt, greedy);
    }

    /** Positions compared by the logits windows. */
    public int positions() {
        return windowLength * windows;
    }

    /** Text tokens needed. */
    public int tokensNeeded() {
        return Math.max(positions(), promptTokens);
    }
}
