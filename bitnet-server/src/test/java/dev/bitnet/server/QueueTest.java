package dev.bitnet.server;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** One generation slot and a queue of one: the third request at once gets 429, and the queue drains when clients leave. */
class QueueTest {

    @Test
    void aFullQueueIsRefusedWith429(@TempDir Path models) throws Exception {
        // The slow model: with the tiny one the queued answer could end before its client leaves.
        try (TestServer s = new TestServer(TestServer.slowModel(models), 1, 1)) {
            String longStream = ServerApiTest.chatBody("slow", "Tell me everything.", 4096, ", \"stream\": true");
            HttpRequest request = HttpRequest.newBuilder(s.uri("/v1/chat/completions")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(longStream)).build();
            HttpResponse<InputStream> running = s.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(running.statusCode()).isEqualTo(200);
            assertThat(new String(running.body().readNBytes(10), StandardCharsets.UTF_8)).isEqualTo("data: {\"id");
            s.awaitHealth(1, 0);

            CompletableFuture<HttpResponse<InputStream>> queued = s.http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            s.awaitHealth(1, 1);

            HttpResponse<String> refused = s.post("/v1/chat/completions", ServerApiTest.chatBody("slow", "hi", 5, ""));
            assertThat(refused.statusCode()).isEqualTo(429);
            JsonObject error = TestServer.json(refused).getAsJsonObject("error");
            assertThat(error.get("type").getAsString()).isEqualTo("rate_limit_error");
            assertThat(error.get("code").getAsString()).isEqualTo("queue_full");
            assertThat(error.get("message").getAsString())
                    .isEqualTo("The server is busy: 1 generations are running and 1 are waiting; retry later");

            running.body().close(); // the first client leaves: its generation stops, the queued one runs
            HttpResponse<InputStream> second = queued.get();
            assertThat(new String(second.body().readNBytes(10), StandardCharsets.UTF_8)).isEqualTo("data: {\"id");
            second.body().close();
            s.awaitHealth(0, 0);
            assertThat(s.log.stream().filter(l -> l.contains("cancelled (client disconnected)"))).hasSize(2);
            assertThat(s.log.stream().filter(l -> l.contains(" 429 "))).hasSize(1);
        }
    }
}
