package dev.bitnet.runtime;

import dev.bitnet.runtime.sampling.RepetitionPenalty;
import dev.bitnet.runtime.sampling.Sampler;
import dev.bitnet.runtime.sampling.TemperatureSampler;

import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * How {@link Session#generate} samples and when it stops. Immutable; build with
 * {@link #builder()}. Every setter rejects an invalid value with an
 * {@link IllegalArgumentException} naming the option and the value.
 */
public final class GenerationOptions {

    /** Tokens the repetition penalty looks back over. */
    public static final int REPETITION_WINDOW = 64;

    private final int maxTokens;
    private final float temperature;
    private final int topK;
    private final float topP;
    private final float repetitionPenalty;
    private final OptionalLong seed;
    private final List<String> stopStrings;

    private GenerationOptions(Builder b) {
        this.maxTokens = b.maxTokens;
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.repetitionPenalty = b.repetitionPenalty;
        this.seed = b.seed;
        this.stopStrings = b.stopStrings;
    }

    /** The defaults (see the builder's setters). */
    public static GenerationOptions defaults() {
        return builder().build();
    }

    /** Greedy decoding of up to {@code maxTokens} tokens. */
    public static GenerationOptions greedy(int maxTokens) {
        return builder().temperature(0f).maxTokens(maxTokens).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.repetitionPenalty = repetitionPenalty;
        b.seed = seed;
        b.stopStrings = stopStrings;
        return b;
    }

    /** Maximum number of new tokens. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Sampling temperature; 0 is greedy. */
    public float temperature() {
        return temperature;
    }

    /** Top-k cut (0 = off). */
    public int topK() {
        return topK;
    }

    /** Top-p (nucleus) cut, in (0, 1]; 1 = off. */
    public float topP() {
        return topP;
    }

    /** Repetition penalty over the last {@value #REPETITION_WINDOW} tokens; 1 = off. */
    public float repetitionPenalty() {
        return repetitionPenalty;
    }

    /** The random seed, if one was given (without one every generation differs). */
    public OptionalLong seed() {
        return seed;
    }

    /** Strings that end the generation when the output reaches them. */
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** A new sampler for one generation: greedy at temperature 0, else seeded temperature sampling. */
    public Sampler newSampler() {
        if (temperature == 0f) {
            return Sampler.GREEDY;
        }
        SplittableRandom random = seed.isPresent() ? new SplittableRandom(seed.getAsLong()) : new SplittableRandom();
        return new TemperatureSampler(temperature, topK, topP, random);
    }

    /** The repetition penalty, or null when it is 1 (off). */
    RepetitionPenalty penalty() {
        return repetitionPenalty == 1f ? null : new RepetitionPenalty(repetitionPenalty);
    }

    /** Builder of {@link GenerationOptions}. */
    public static final class Builder {
        private int maxTokens = 256;
        private float temperature = 0.8f;
        private int topK = 40;
        private float topP = 0.95f;
        private float repetitionPenalty = 1f;
        private OptionalLong seed = OptionalLong.empty();
        private List<String> stopStrings = List.of();

        private Builder() {
        }

        /** Maximum new tokens, >= 0 (default 256). */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** Temperature, finite and >= 0; 0 means greedy (default 0.8). */
        public Builder temperature(float temperature) {
            if (!(temperature >= 0f) || !Float.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a finite value >= 0 (0 = greedy), got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** Top-k, >= 0; 0 turns it off (default 40). */
        public Builder topK(int topK) {
            if (topK < 0) {
                throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
            }
            this.topK = topK;
            return this;
        }

        /** Top-p in (0, 1]; 1 turns it off (default 0.95). */
        public Builder topP(float topP) {
            if (!(topP > 0f && topP <= 1f)) {
                throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
            }
            this.topP = topP;
            return this;
        }

        /** Repetition penalty, finite and > 0; 1 turns it off (default 1). */
        public Builder repetitionPenalty(float penalty) {
            if (!(penalty > 0f) || !Float.isFinite(penalty)) {
                throw new IllegalArgumentException("repetition penalty must be a finite value > 0 (1 = off), got " + penalty);
            }
            this.repetitionPenalty = penalty;
            return this;
        }

        /** A seed that makes sampling reproducible (default: none, a fresh random seed each time). */
        public Builder seed(long seed) {
            this.seed = OptionalLong.of(seed);
            return this;
        }

        /** Stop strings, each non-empty (default none). */
        public Builder stopStrings(List<String> stops) {
            if (stops == null) {
                throw new IllegalArgumentException("stop strings must not be null");
            }
            for (String s : stops) {
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("stop strings must be non-empty, got " + (s == null ? "null" : "\"\""));
                }
            }
            this.stopStrings = List.copyOf(stops);
            return this;
        }

        /** The options. */
        public GenerationOptions build() {
            return new GenerationOptions(this);
        }
    }
}
