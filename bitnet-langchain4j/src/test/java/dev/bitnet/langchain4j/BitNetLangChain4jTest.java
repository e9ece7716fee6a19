package dev.bitnet.langchain4j;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real LangChain4j calls (AiServices, streaming, cancellation) answered by the project's default model. */
class BitNetLangChain4jTest {

    static final Path DEFAULT_MODEL = Path.of("..", "models", "default.bit2");

    static BitNetModel model;

    @BeforeAll
    static void load() throws Exception {
        model = BitNetModel.load(DEFAULT_MODEL);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** What the runtime answers by itself for these chat messages, greedily. */
    static String runtimeAnswer(List<ChatTemplate.Message> messages, int maxTokens) {
        StringBuilder answer = new StringBuilder();
        try (Session s = model.newSession()) {
            s.generate(ChatTemplate.prompt(messages), ChatTemplate.options(GenerationOptions.greedy(maxTokens)),
                    ChatTemplate.answerListener(answer::append));
        }
        return answer.toString();
    }

    interface Assistant {
        String chat(String message);
    }

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    @Test
    void anAiServicesInterfaceIsAnsweredByTheModel() {
        BitNetChatModel chat = BitNetChatModel.builder().model(model).temperature(0).maxTokens(60).build();
        Assistant assistant = AiServices.create(Assistant.class, chat);
        String answer = assistant.chat("What did the President say?");
        assertThat(answer).isNotBlank()
                .isEqualTo(runtimeAnswer(List.of(ChatTemplate.Message.user("What did the President say?")), 60));
    }

    @Test
    void anAiServicesTokenStreamStreamsTheSameAnswer() throws Exception {
        BitNetStreamingChatModel streaming = BitNetStreamingChatModel.builder().model(model).temperature(0).maxTokens(60).build();
        StreamingAssistant assistant = AiServices.create(StreamingAssistant.class, streaming);
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant.chat("What did the President say?").onPartialResponse(pieces::add)
                .onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(response.aiMessage().text())
                .isEqualTo(runtimeAnswer(List.of(ChatTemplate.Message.user("What did the President say?")), 60));
    }

    @Test
    void usageAndFinishReasonAreFilledIn() {
        BitNetChatModel chat = BitNetChatModel.builder().model(model).temperature(0).maxTokens(7).build();
        List<ChatTemplate.Message> turns = List.of(ChatTemplate.Message.system("A speech."), ChatTemplate.Message.user("Go on"));
        ChatResponse r = chat.chat(SystemMessage.from("A speech."), UserMessage.from("Go on"));
        int promptBytes = ChatTemplate.prompt(turns).getBytes(StandardCharsets.UTF_8).length; // the bytes tokenizer
        assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(promptBytes);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.modelName()).isEqualTo("default");

        // A later word of the greedy answer as a stop sequence ends it there.
        String answer = runtimeAnswer(turns, 30);
        String[] words = answer.split(" +");
        assertThat(words).as(answer).hasSizeGreaterThan(2);
        String stop = words[2];
        ChatResponse stopped = chat.chat(ChatRequest.builder().messages(SystemMessage.from("A speech."), UserMessage.from("Go on"))
                .parameters(ChatRequestParameters.builder().maxOutputTokens(30).stopSequences(List.of(stop)).build()).build());
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(stopped.aiMessage().text()).isEqualTo(answer.substring(0, answer.indexOf(stop)));
    }

    @Test
    void aSeedMakesSamplingReproducible() {
        BitNetChatModel a = BitNetChatModel.builder().model(model).temperature(1.0).topK(20).topP(0.9).seed(7).maxTokens(40).build();
        BitNetChatModel b = BitNetChatModel.builder().model(model).temperature(1.0).topK(20).topP(0.9).seed(7).maxTokens(40).build();
        assertThat(a.chat("Hello")).isEqualTo(b.chat("Hello"));
    }

    @Test
    void cancellingStopsTheGenerationAndTheHandlerHearsNothingMore() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        BitNetStreamingChatModel streaming = BitNetStreamingChatModel.builder().model(model).temperature(0)
                .maxTokens(1_000_000).executor(executor).build();
        List<String> heard = new CopyOnWriteArrayList<>();
        streaming.chat("Tell me everything", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                heard.add(partial.text());
                if (heard.size() == 3) {
                    context.streamingHandle().cancel();
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                heard.add("complete");
            }

            @Override
            public void onError(Throwable error) {
                heard.add("error " + error);
            }
        });
        executor.shutdown();
        // A million tokens would take hours: the task ends only because the cancel stopped it.
        assertThat(executor.awaitTermination(120, TimeUnit.SECONDS)).as("generation stopped").isTrue();
        assertThat(heard).hasSize(3).doesNotContain("complete");
    }

    @Test
    void theLanguageModelContinuesThePromptWithoutTheChatTemplate() {
        BitNetLanguageModel lm = BitNetLanguageModel.builder().model(model).temperature(0).maxTokens(25).build();
        Response<String> r = lm.generate("The President said");
        GenerationResult direct;
        try (Session s = model.newSession()) {
            direct = s.generate("The President said", GenerationOptions.greedy(25), GenerationListener.NONE);
        }
        assertThat(r.content()).isEqualTo(direct.text()).isNotBlank();
        assertThat(r.tokenUsage().inputTokenCount()).isEqualTo("The President said".length());
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(25);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void whatABaseModelCannotDoFailsClearly() {
        BitNetChatModel chat = BitNetChatModel.builder().model(model).build();
        ChatRequest withTool = ChatRequest.builder().messages(UserMessage.from("weather?")).parameters(ChatRequestParameters.builder()
                .toolSpecifications(ToolSpecification.builder().name("weather").build()).build()).build();
        assertThatThrownBy(() -> chat.chat(withTool)).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("do not call tools");
        UserMessage image = UserMessage.from(TextContent.from("what is this?"), ImageContent.from("https://example.invalid/a.png"));
        assertThatThrownBy(() -> chat.chat(image)).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("text only").hasMessageContaining("IMAGE");
        assertThatThrownBy(() -> chat.chat(SystemMessage.from("only a system message")))
                .hasMessage("a chat needs at least one user message");
        ChatRequest otherModel = ChatRequest.builder().messages(UserMessage.from("hi"))
                .parameters(ChatRequestParameters.builder().modelName("gpt-4o").build()).build();
        assertThatThrownBy(() -> chat.chat(otherModel)).hasMessage("this chat model runs 'default', not 'gpt-4o'");
    }

    @Test
    void builderMistakesNameTheProblem() {
        assertThatThrownBy(() -> BitNetChatModel.builder().build())
                .hasMessage("give exactly one of modelPath(Path) and model(BitNetModel)");
        assertThatThrownBy(() -> BitNetChatModel.builder().temperature(-1))
                .hasMessage("temperature must be a finite value >= 0 (0 = greedy), got -1.0");
        assertThatThrownBy(() -> BitNetLanguageModel.builder().modelPath(Path.of("no-such.bit2")).build())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no-such.bit2");
    }

    @Test
    void aModelLoadedByPathIsOwnedAndClosed() {
        BitNetChatModel chat = BitNetChatModel.builder().modelPath(DEFAULT_MODEL).temperature(0).maxTokens(5).build();
        assertThat(chat.chat("Hi")).isNotNull();
        chat.close();
        assertThatThrownBy(() -> chat.chat("Hi")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }
}
