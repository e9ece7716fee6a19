package dev.bitnet.langchain4j;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.langchain4j.model.language.LanguageModel;
import dev.langchain4j.model.output.Response;

/**
 * A LangChain4j {@link LanguageModel}: plain text completion by a bitnet model in this JVM, with
 * no chat template (the model continues the prompt). Each call runs in its own {@link Session}.
 *
 * <pre>{@code
 * try (BitNetLanguageModel model = BitNetLanguageModel.builder().modelPath(Path.of("model.bit2")).seed(1).build()) {
 *     System.out.println(model.generate("Call me").content());
 * }
 * }</pre>
 */
public final class BitNetLanguageModel implements LanguageModel, AutoCloseable {

    private final Generator generator;

    private BitNetLanguageModel(Generator generator) {
        this.generator = generator;
    }

    /** A builder; give it a model file or a loaded {@link BitNetModel}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The text the model writes after the prompt, with token usage and finish reason.
     *
     * @throws IllegalArgumentException if the prompt is empty
     */
    @Override
    public Response<String> generate(String prompt) {
        GenerationResult r;
        try (Session session = generator.model().newSession()) {
            r = session.generate(prompt, generator.defaults(), GenerationListener.NONE);
        }
        return new Response<>(r.text(), Generator.tokenUsage(r), Generator.finishReason(r.stopReason()));
    }

    /** Unmaps the model if this object loaded it (see {@link Builder#modelPath}). */
    @Override
    public void close() {
        generator.close();
    }

    /** Builder of {@link BitNetLanguageModel}. */
    public static final class Builder extends BitNetModelBuilder<Builder, BitNetLanguageModel> {
        private Builder() {
        }

        @Override
        public BitNetLanguageModel build() {
            return new BitNetLanguageModel(generator());
        }
    }
}
