package dev.bitnet.langchain4j;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A LangChain4j {@link StreamingChatModel} answered by a bitnet model running in this JVM: the
 * answer reaches the handler piece by piece as it is decoded (never splitting a character), then
 * {@code onCompleteResponse} brings the whole answer with token usage and finish reason. Same
 * template and options as {@link BitNetChatModel}.
 *
 * <p>{@code chat} returns at once; the generation runs on a new daemon thread per call, or on
 * the builder's {@link Builder#executor executor}. Cancelling through the
 * {@link PartialResponseContext}'s {@link StreamingHandle} stops the generation before its next
 * token; as with LangChain4j's other streaming models, the handler hears nothing more after that.
 */
public final class BitNetStreamingChatModel implements StreamingChatModel, AutoCloseable {

    private static final AtomicLong THREADS = new AtomicLong();

    private final Generator generator;
    private final Executor executor;

    private BitNetStreamingChatModel(Generator generator, Executor executor) {
        this.generator = generator;
        this.executor = executor;
    }

    /** A builder; give it a model file or a loaded {@link BitNetModel}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        String prompt;
        GenerationOptions options;
        try {
            prompt = Generator.prompt(request.messages());
            options = generator.chatOptions(request.parameters());
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        executor.execute(() -> stream(prompt, options, handler));
    }

    private void stream(String prompt, GenerationOptions options, StreamingChatResponseHandler handler) {
        Handle handle = new Handle();
        try (Session session = generator.model().newSession()) {
            handle.session = session;
            PartialResponseContext context = new PartialResponseContext(handle);
            StringBuilder answer = new StringBuilder();
            GenerationResult r = session.generate(prompt, options, ChatTemplate.answerListener(piece -> {
                if (handle.isCancelled()) {
                    return; // text the runtime flushes after the cancel
                }
                answer.append(piece);
                try {
                    handler.onPartialResponse(new PartialResponse(piece), context);
                } catch (RuntimeException e) {
                    handle.cancel(); // a failing handler ends the generation, and hears of it once
                    handler.onError(e);
                }
            }));
            if (!handle.isCancelled()) {
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(answer.toString()))
                        .modelName(generator.modelName()).tokenUsage(Generator.tokenUsage(r))
                        .finishReason(Generator.finishReason(r.stopReason())).build());
            }
        } catch (RuntimeException e) {
            if (!handle.isCancelled()) { // e.g. the model was closed under a cancelled generation: nobody listens
                handler.onError(e);
            }
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return generator.defaultParameters();
    }

    /** Unmaps the model if this object loaded it (see {@link Builder#modelPath}); let running chats finish first. */
    @Override
    public void close() {
        generator.close();
    }

    /** Cancels one generation. */
    private static final class Handle implements StreamingHandle {
        private volatile Session session;
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
            Session s = session;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /** Builder of {@link BitNetStreamingChatModel}. */
    public static final class Builder extends BitNetModelBuilder<Builder, BitNetStreamingChatModel> {
        private Executor executor = task -> Thread.ofPlatform().daemon().name("bitnet-chat-stream-" + THREADS.incrementAndGet())
                .start(task);

        private Builder() {
        }

        /** Where generations run (default: a new daemon thread each); a generation keeps its thread busy until it ends. */
        public Builder executor(Executor executor) {
            if (executor == null) {
                throw new IllegalArgumentException("executor must not be null");
            }
            this.executor = executor;
            return this;
        }

        @Override
        public BitNetStreamingChatModel build() {
            return new BitNetStreamingChatModel(generator(), executor);
        }
    }
}
