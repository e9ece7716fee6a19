package dev.bitnet.server;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.StreamingResponseHandler;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiLanguageModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingLanguageModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real OpenAI client that nobody here wrote, LangChain4j's {@code langchain4j-open-ai}, pointed
 * at the server: plain and streamed chat and completions give what the runtime gives by itself,
 * and the server's errors reach it as the exceptions it maps OpenAI's status codes to.
 */
class OpenAiClientTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(2, 8);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static OpenAiChatModel.OpenAiChatModelBuilder chatModel() {
        return OpenAiChatModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed").modelName(TestServer.MODEL_ID).maxRetries(0);
    }

    static OpenAiStreamingChatModel streamingChat(int maxTokens) {
        return OpenAiStreamingChatModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed").modelName(TestServer.MODEL_ID)
                .temperature(0.0).maxTokens(maxTokens).build();
    }

    @Test
    void chat() {
        OpenAiChatModel model = chatModel().temperature(0.0).maxTokens(40).build();
        ChatResponse r = model.chat(UserMessage.from("What did the President say?"));
        assertThat(r.aiMessage().text()).isNotBlank().isEqualTo(s.runtimeAnswer("What did the President say?", 40));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(40);
        assertThat(r.tokenUsage().inputTokenCount()).isEqualTo("\nUser: What did the President say?\nAssistant:".length());
        assertThat(r.modelName()).isEqualTo(TestServer.MODEL_ID);

        // A system message and a seed: sampled, reproducible.
        OpenAiChatModel sampled = chatModel().temperature(0.9).topP(0.9).seed(11).maxTokens(30).build();
        ChatResponse a = sampled.chat(SystemMessage.from("A speech to Congress."), UserMessage.from("Begin."));
        ChatResponse b = sampled.chat(SystemMessage.from("A speech to Congress."), UserMessage.from("Begin."));
        assertThat(a.aiMessage().text()).isEqualTo(b.aiMessage().text());
    }

    @Test
    void streamedChat() throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streamingChat(40).chat("Tell me about the sea.", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(2, TimeUnit.MINUTES);
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(r.aiMessage().text()).isEqualTo(s.runtimeAnswer("Tell me about the sea.", 40));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(40);
    }

    @Test
    void completion() {
        OpenAiLanguageModel model = OpenAiLanguageModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed")
                .modelName(TestServer.MODEL_ID).temperature(0.0).maxRetries(0).build();
        Response<String> r = model.generate("The President said");
        // No max_tokens from this client: the server's default of 256 applies.
        assertThat(r.content()).isEqualTo(s.runtimeCompletion("The President said", ApiRequest.DEFAULT_MAX_TOKENS));
        assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(18);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void streamedCompletion() throws Exception {
        OpenAiStreamingLanguageModel model = OpenAiStreamingLanguageModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed")
                .modelName(TestServer.MODEL_ID).temperature(0.0).build();
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<Response<String>> done = new CompletableFuture<>();
        model.generate("Call me", new StreamingResponseHandler<>() {
            @Override
            public void onNext(String token) {
                pieces.add(token);
            }

            @Override
            public void onComplete(Response<String> response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        Response<String> r = done.get(2, TimeUnit.MINUTES);
        assertThat(String.join("", pieces)).isEqualTo(r.content())
                .isEqualTo(s.runtimeCompletion("Call me", ApiRequest.DEFAULT_MAX_TOKENS));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void theServersErrorsReachTheClientAsItsExceptions() {
        OpenAiChatModel unknown = OpenAiChatModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed").modelName("gpt-4o")
                .maxRetries(0).build();
        assertThatThrownBy(() -> unknown.chat("hi")).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("The model 'gpt-4o' does not exist");
        OpenAiChatModel hot = chatModel().temperature(5.0).build();
        assertThatThrownBy(() -> hot.chat("hi")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("temperature must be in [0, 2], got 5.0");
    }
}
