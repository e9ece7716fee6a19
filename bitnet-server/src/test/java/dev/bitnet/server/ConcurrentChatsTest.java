package dev.bitnet.server;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 streamed chats at once against one server give, at temperature 0, the same answers as the
 * same 32 one after another: sessions of the shared model do not disturb each other.
 */
class ConcurrentChatsTest {

    static final int CHATS = 32;
    static final int MAX_TOKENS = 24;

    @Test
    void thirtyTwoConcurrentStreamedChatsEqualThirtyTwoSequentialOnes() throws Exception {
        try (TestServer s = new TestServer(4, CHATS)) {
            OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(s.baseUrl()).apiKey("not-needed")
                    .modelName(TestServer.MODEL_ID).temperature(0.0).maxTokens(MAX_TOKENS).build();
            List<String> sequential = new ArrayList<>();
            for (int i = 0; i < CHATS; i++) {
                sequential.add(chat(model, i).get(2, TimeUnit.MINUTES).aiMessage().text());
            }
            List<CompletableFuture<ChatResponse>> running = new ArrayList<>();
            for (int i = 0; i < CHATS; i++) {
                running.add(chat(model, i));
            }
            List<String> concurrent = new ArrayList<>();
            for (CompletableFuture<ChatResponse> f : running) {
                concurrent.add(f.get(5, TimeUnit.MINUTES).aiMessage().text());
            }
            assertThat(concurrent).isEqualTo(sequential);
            assertThat(sequential).doesNotContain("").hasSize(CHATS);
            assertThat(sequential.stream().distinct().count()).as("different questions, different answers").isGreaterThan(1);
            assertThat(s.log.stream().filter(l -> l.contains("POST /v1/chat/completions 200 stream"))).hasSize(2 * CHATS);
        }
    }

    static CompletableFuture<ChatResponse> chat(OpenAiStreamingChatModel model, int i) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Question " + i + ": what did the President say?", new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }
}
