package dev.bitnet.langchain4j;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.StopReason;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;

/** What the three LangChain4j models share: the model, the builder's options, and the translation both ways. */
final class Generator implements AutoCloseable {

    private final BitNetModel model;
    private final boolean owned;
    private final GenerationOptions defaults;
    private final String modelName;

    Generator(BitNetModel model, boolean owned, GenerationOptions defaults) {
        this.model = model;
        this.owned = owned;
        this.defaults = defaults;
        String file = model.path().getFileName().toString();
        this.modelName = file.endsWith(".bit2") ? file.substring(0, file.length() - ".bit2".length()) : file;
    }

    BitNetModel model() {
        return model;
    }

    /** The model's name: its file name without {@code .bit2}. */
    String modelName() {
        return modelName;
    }

    GenerationOptions defaults() {
        return defaults;
    }

    /** The builder's options as LangChain4j request parameters, which a request's own override. */
    ChatRequestParameters defaultParameters() {
        return ChatRequestParameters.builder().modelName(modelName).temperature((double) defaults.temperature())
                .topP((double) defaults.topP()).topK(defaults.topK()).maxOutputTokens(defaults.maxTokens())
                .stopSequences(defaults.stopStrings()).build();
    }

    /**
     * The generation options of a chat request: its parameters where set, the builder's elsewhere,
     * plus the chat template's end-of-answer stop.
     *
     * @throws UnsupportedFeatureException for tools, JSON output and frequency or presence penalties
     */
    GenerationOptions chatOptions(ChatRequestParameters p) {
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("bitnet models do not call tools (the request has "
                    + p.toolSpecifications().size() + " tool specifications)");
        }
        ResponseFormat format = p.responseFormat();
        if (format != null && format.type() != ResponseFormatType.TEXT) {
            throw new UnsupportedFeatureException("bitnet models write plain text only, not response format " + format.type());
        }
        if (p.frequencyPenalty() != null || p.presencePenalty() != null) {
            throw new UnsupportedFeatureException("bitnet models have no frequency or presence penalty;"
                    + " use repetitionPenalty on the builder");
        }
        if (p.modelName() != null && !p.modelName().equals(modelName)) {
            throw new IllegalArgumentException("this chat model runs '" + modelName + "', not '" + p.modelName() + "'");
        }
        GenerationOptions.Builder b = defaults.toBuilder();
        if (p.temperature() != null) {
            b.temperature(p.temperature().floatValue());
        }
        if (p.topP() != null) {
            b.topP(p.topP().floatValue());
        }
        if (p.topK() != null) {
            b.topK(p.topK());
        }
        if (p.maxOutputTokens() != null) {
            b.maxTokens(p.maxOutputTokens());
        }
        if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
            b.stopStrings(p.stopSequences());
        }
        return ChatTemplate.options(b.build());
    }

    /**
     * The prompt for LangChain4j messages, written with {@link ChatTemplate}.
     *
     * @throws UnsupportedFeatureException for images, audio, tool calls and tool results
     */
    static String prompt(List<ChatMessage> messages) {
        List<ChatTemplate.Message> turns = new ArrayList<>();
        for (ChatMessage m : messages) {
            turns.add(switch (m) {
                case SystemMessage s -> ChatTemplate.Message.system(s.text());
                case UserMessage u -> {
                    if (!u.hasSingleText()) {
                        throw new UnsupportedFeatureException("bitnet models read text only; a user message has "
                                + u.contents().size() + " contents of types "
                                + u.contents().stream().map(c -> c.type().toString()).distinct().toList());
                    }
                    yield ChatTemplate.Message.user(u.singleText());
                }
                case AiMessage a -> {
                    if (a.hasToolExecutionRequests()) {
                        throw new UnsupportedFeatureException("bitnet models do not call tools; an AI message has tool execution requests");
                    }
                    yield ChatTemplate.Message.assistant(a.text() == null ? "" : a.text());
                }
                default -> throw new UnsupportedFeatureException("bitnet models do not take " + m.type() + " messages");
            });
        }
        return ChatTemplate.prompt(turns);
    }

    static TokenUsage tokenUsage(GenerationResult r) {
        return new TokenUsage(r.promptTokens(), r.generatedTokens());
    }

    /** LangChain4j's finish reason for the runtime's stop reason; a cancelled generation is OTHER. */
    static FinishReason finishReason(StopReason reason) {
        return switch (reason) {
            case END_OF_TEXT, STOP_STRING -> FinishReason.STOP;
            case MAX_TOKENS -> FinishReason.LENGTH;
            case CANCELLED -> FinishReason.OTHER;
        };
    }

    /** Unmaps the model when it was loaded from a path. */
    @Override
    public void close() {
        if (owned) {
            model.close();
        }
    }
}
