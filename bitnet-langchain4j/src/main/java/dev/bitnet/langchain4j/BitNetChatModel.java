package dev.bitnet.langchain4j;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * A LangChain4j {@link ChatModel} answered by a bitnet model running in this JVM. The conversation
 * is written with {@link ChatTemplate} ({@code User:} / {@code Assistant:} turns); each call runs
 * in its own {@link Session}, so one instance serves any number of threads.
 *
 * <pre>{@code
 * try (BitNetChatModel model = BitNetChatModel.builder().modelPath(Path.of("model.bit2"))
 *         .temperature(0).maxTokens(60).build()) {
 *     System.out.println(model.chat("What is a whale?"));
 * }
 * }</pre>
 *
 * Token usage counts the prompt's and the answer's tokens; the finish reason is {@code STOP} at
 * end-of-text or a stop string and {@code LENGTH} at the token limit. Tools, images and JSON
 * output are not supported and fail with {@code UnsupportedFeatureException}.
 */
public final class BitNetChatModel implements ChatModel, AutoCloseable {

    private final Generator generator;

    private BitNetChatModel(Generator generator) {
        this.generator = generator;
    }

    /** A builder; give it a model file or a loaded {@link BitNetModel}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        String prompt = Generator.prompt(request.messages());
        var options = generator.chatOptions(request.parameters());
        StringBuilder answer = new StringBuilder();
        GenerationResult r;
        try (Session session = generator.model().newSession()) {
            r = session.generate(prompt, options, ChatTemplate.answerListener(answer::append));
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(answer.toString())).modelName(generator.modelName())
                .tokenUsage(Generator.tokenUsage(r)).finishReason(Generator.finishReason(r.stopReason())).build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return generator.defaultParameters();
    }

    /** Unmaps the model if this object loaded it (see {@link Builder#modelPath}). */
    @Override
    public void close() {
        generator.close();
    }

    /** Builder of {@link BitNetChatModel}. */
    public static final class Builder extends BitNetModelBuilder<Builder, BitNetChatModel> {
        private Builder() {
        }

        @Override
        public BitNetChatModel build() {
            return new BitNetChatModel(generator());
        }
    }
}
