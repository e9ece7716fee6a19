package dev.bitnet.langchain4j;

import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationOptions;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The options the bitnet LangChain4j models share: which model, and how to sample. Unset sampling
 * options keep the runtime's defaults ({@link GenerationOptions}); a chat request's own parameters
 * (temperature, top-p, top-k, max output tokens, stop sequences) override these per call.
 *
 * @param <B> the concrete builder
 * @param <M> what it builds
 */
public abstract class BitNetModelBuilder<B extends BitNetModelBuilder<B, M>, M> {

    private Path modelPath;
    private BitNetModel model;
    private final GenerationOptions.Builder options = GenerationOptions.builder();

    BitNetModelBuilder() {
    }

    /** Loads the model from this {@code .bit2} file; the built object owns it and unmaps it on {@code close()}. */
    public B modelPath(Path path) {
        this.modelPath = path;
        return self();
    }

    /** Uses an already loaded model, which stays the caller's to close (several LangChain4j models may share it). */
    public B model(BitNetModel model) {
        this.model = model;
        return self();
    }

    /** Sampling temperature, finite and >= 0; 0 is greedy and deterministic. */
    public B temperature(double temperature) {
        options.temperature((float) temperature);
        return self();
    }

    /** Top-p (nucleus) cut in (0, 1]; 1 turns it off. */
    public B topP(double topP) {
        options.topP((float) topP);
        return self();
    }

    /** Top-k cut, >= 0; 0 turns it off. */
    public B topK(int topK) {
        options.topK(topK);
        return self();
    }

    /** Maximum new tokens per call, >= 0. */
    public B maxTokens(int maxTokens) {
        options.maxTokens(maxTokens);
        return self();
    }

    /** Strings that end an answer (the chat models also stop where the model starts a new user turn). */
    public B stopStrings(List<String> stops) {
        options.stopStrings(stops);
        return self();
    }

    /** A seed that makes sampling reproducible (without one, every call samples differently). */
    public B seed(long seed) {
        options.seed(seed);
        return self();
    }

    /** Repetition penalty over the last tokens, finite and > 0; 1 turns it off. */
    public B repetitionPenalty(double penalty) {
        options.repetitionPenalty((float) penalty);
        return self();
    }

    /**
     * Builds it, loading the model file when one was given by path.
     *
     * @throws IllegalArgumentException if neither or both of modelPath and model were given
     * @throws UncheckedIOException     wrapping the {@link Bit2FormatException} that names what is wrong with the file
     */
    public abstract M build();

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The generator over the chosen model, loading it when a path was given. */
    Generator generator() {
        if ((modelPath == null) == (model == null)) {
            throw new IllegalArgumentException("give exactly one of modelPath(Path) and model(BitNetModel)");
        }
        if (model != null) {
            return new Generator(model, false, options.build());
        }
        try {
            return new Generator(BitNetModel.load(modelPath), true, options.build());
        } catch (Bit2FormatException e) {
            throw new UncheckedIOException(e);
        }
    }
}
