package dev.bitnet.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API with a plain HTTP client: shapes, errors and status codes, streaming, the access log. */
class ServerApiTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(2, 8);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static String chatBody(String user, int maxTokens, String extra) {
        return chatBody(TestServer.MODEL_ID, user, maxTokens, extra);
    }

    /** The same, to another model. */
    static String chatBody(String model, String user, int maxTokens, String extra) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": " + JsonParser.parseString("\"" + user + "\"")
                + "}], \"temperature\": 0, \"max_tokens\": " + maxTokens + extra + "}";
    }

    @Test
    void modelsHealthAndThePage() throws Exception {
        JsonObject models = TestServer.json(s.get("/v1/models"));
        assertThat(models.get("object").getAsString()).isEqualTo("list");
        assertThat(models.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString()).isEqualTo("default");
        assertThat(TestServer.json(s.get("/v1/models/default")).get("object").getAsString()).isEqualTo("model");

        JsonObject health = TestServer.json(s.get("/health"));
        assertThat(health.get("status").getAsString()).isEqualTo("ok");
        assertThat(health.get("parallel").getAsInt()).isEqualTo(2);

        HttpResponse<String> page = s.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<textarea id=\"message\"", "id=\"stop\"", "id=\"temperature\"", "id=\"max-tokens\"",
                "/v1/chat/completions");
        assertThat(s.awaitLog("for GET /health", l -> l.startsWith("127.0.0.1 GET /health 200 "))).endsWith(" s");
    }

    @Test
    void aChatIsAnsweredAsTheRuntimeAnswersWithUsageAndFinishReason() throws Exception {
        HttpResponse<String> r = s.post("/v1/chat/completions", chatBody("What did the President say?", 30, ""));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = TestServer.json(r);
        assertThat(body.get("object").getAsString()).isEqualTo("chat.completion");
        assertThat(body.get("model").getAsString()).isEqualTo("default");
        JsonObject choice = body.getAsJsonArray("choices").get(0).getAsJsonObject();
        assertThat(choice.getAsJsonObject("message").get("role").getAsString()).isEqualTo("assistant");
        assertThat(choice.getAsJsonObject("message").get("content").getAsString())
                .isEqualTo(s.runtimeAnswer("What did the President say?", 30));
        assertThat(choice.get("finish_reason").getAsString()).isEqualTo("length");
        JsonObject usage = body.getAsJsonObject("usage");
        assertThat(usage.get("prompt_tokens").getAsInt()).isEqualTo("\nUser: What did the President say?\nAssistant:".length());
        assertThat(usage.get("completion_tokens").getAsInt()).isEqualTo(30);
        assertThat(usage.get("total_tokens").getAsInt()).isEqualTo(usage.get("prompt_tokens").getAsInt() + 30);
        assertThat(s.awaitLog("for the chat", l -> l.contains("POST /v1/chat/completions 200 prompt=45 completion=30 ")))
                .contains(" tokens/s finish=length ");

        // A stop sequence taken from that answer ends it there: finish_reason "stop".
        String answer = s.runtimeAnswer("What did the President say?", 30);
        String stop = answer.substring(answer.length() / 2, answer.length() / 2 + 2);
        JsonObject stopped = TestServer.json(s.post("/v1/chat/completions",
                chatBody("What did the President say?", 30, ", \"stop\": [" + JsonParser.parseString("\"" + stop + "\"") + "]")));
        JsonObject c = stopped.getAsJsonArray("choices").get(0).getAsJsonObject();
        assertThat(c.get("finish_reason").getAsString()).isEqualTo("stop");
        assertThat(c.getAsJsonObject("message").get("content").getAsString()).isEqualTo(answer.substring(0, answer.indexOf(stop)));
    }

    @Test
    void aCompletionContinuesThePrompt() throws Exception {
        JsonObject body = TestServer.json(s.post("/v1/completions",
                "{\"prompt\": [\"The President said\"], \"temperature\": 0, \"max_tokens\": 20}"));
        assertThat(body.get("object").getAsString()).isEqualTo("text_completion");
        JsonObject choice = body.getAsJsonArray("choices").get(0).getAsJsonObject();
        assertThat(choice.get("text").getAsString()).isEqualTo(s.runtimeCompletion("The President said", 20));
        assertThat(body.getAsJsonObject("usage").get("prompt_tokens").getAsInt()).isEqualTo(18);
    }

    @Test
    void aStreamedChatSendsTheSameAnswerAsEventsEndingInDone() throws Exception {
        HttpResponse<String> r = s.post("/v1/chat/completions",
                chatBody("Tell me about the sea.", 25, ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        List<String> events = events(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(e -> JsonParser.parseString(e).getAsJsonObject()).toList();
        assertThat(chunks.getFirst().getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("delta").get("role").getAsString())
                .isEqualTo("assistant");
        for (JsonObject chunk : chunks) {
            assertThat(chunk.get("object").getAsString()).isEqualTo("chat.completion.chunk");
            JsonArray choices = chunk.getAsJsonArray("choices");
            if (!choices.isEmpty() && choices.get(0).getAsJsonObject().getAsJsonObject("delta").has("content")) {
                text.append(choices.get(0).getAsJsonObject().getAsJsonObject("delta").get("content").getAsString());
            }
        }
        assertThat(text.toString()).isEqualTo(s.runtimeAnswer("Tell me about the sea.", 25));
        JsonObject last = chunks.get(chunks.size() - 2).getAsJsonArray("choices").get(0).getAsJsonObject();
        assertThat(last.get("finish_reason").getAsString()).isEqualTo("length");
        JsonObject usage = chunks.getLast().getAsJsonObject("usage");
        assertThat(usage.get("completion_tokens").getAsInt()).isEqualTo(25);
        assertThat(chunks.getLast().getAsJsonArray("choices")).isEmpty();
        int prompt = "\nUser: Tell me about the sea.\nAssistant:".length();
        assertThat(s.awaitLog("for the stream", l -> l.contains("POST /v1/chat/completions 200 stream prompt=" + prompt + " completion=25 ")))
                .contains("finish=length");
    }

    @Test
    void aStreamedCompletionHasNoUsageUnlessAsked() throws Exception {
        HttpResponse<String> r = s.post("/v1/completions", "{\"prompt\": \"Call me\", \"temperature\": 0, \"max_tokens\": 12, \"stream\": true}");
        List<String> events = events(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonObject chunk = JsonParser.parseString(e).getAsJsonObject();
            assertThat(chunk.has("usage")).isFalse();
            text.append(chunk.getAsJsonArray("choices").get(0).getAsJsonObject().get("text").getAsString());
        }
        assertThat(text.toString()).isEqualTo(s.runtimeCompletion("Call me", 12));
    }

    @Test
    void badRequestsGetOpenAiShapedErrorsWithTheRightStatus() throws Exception {
        assertError(s.post("/v1/chat/completions", "{\"messages\": [}"), 400, null, "The request body is not valid JSON: ");
        assertError(s.post("/v1/chat/completions", "[1, 2]"), 400, null, "The request body must be a JSON object");
        assertError(s.post("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
                404, "model", "The model 'gpt-4o' does not exist; this server runs 'default'");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"temperature\": 2.5").replace("\"temperature\": 0, ", "")),
                400, "temperature", "temperature must be in [0, 2], got 2.5");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 0, "")), 400, "max_tokens", "max_tokens must be in [1, 4096], got 0");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 5000, "")), 400, "max_tokens", "max_tokens must be in [1, 4096], got 5000");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"top_p\": 0")), 400, "top_p", "top_p must be in (0, 1], got 0.0");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"top_k\": 1.5")), 400, "top_k", "top_k must be an integer, got 1.5");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"n\": 2")), 400, "n", "n must be 1");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]")), 400, "stop",
                "at most 4 stop sequences, got 5");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"tools\": [{\"type\": \"function\"}]")), 400, "tools",
                "tool calls are not supported");
        assertError(s.post("/v1/chat/completions", chatBody("hi", 10, ", \"stream\": \"yes\"")), 400, "stream",
                "stream must be true or false");
        assertError(s.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"tool\", \"content\": \"42\"}]}"), 400,
                "messages[0].role", "tool messages are not supported");
        assertError(s.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}"),
                400, "messages[0].content", "bitnet models read text only");
        assertError(s.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"system\", \"content\": \"be brief\"}]}"), 400,
                "messages", "a chat needs at least one user message");
        assertError(s.post("/v1/chat/completions", "{\"messages\": []}"), 400, "messages", "messages must be a non-empty array");
        assertError(s.post("/v1/completions", "{\"prompt\": \"\"}"), 400, "prompt", "prompt must not be empty");
        assertError(s.post("/v1/completions", "{\"prompt\": [1, 2, 3]}"), 400, "prompt", "prompt must be a string");
        assertError(s.post("/v1/completions", "{\"prompt\": \"x\", \"seed\": 1e30}"), 400, "seed", "seed must be a 64-bit integer");
        assertError(s.get("/v1/chat/completions"), 405, null, "GET is not allowed on /v1/chat/completions; use POST");
        assertError(s.get("/v2/anything"), 404, null, "Unknown request URL: GET /v2/anything");
        assertError(s.get("/v1/models/gpt-4o"), 404, "model", "The model 'gpt-4o' does not exist");

        String big = "{\"prompt\": \"" + "a".repeat(BitNetServer.MAX_BODY_BYTES) + "\"}";
        assertError(s.post("/v1/completions", big), 413, null, "The request body is larger than 1048576 bytes");
        assertThat(s.awaitLog("for the 413", l -> l.contains("POST /v1/completions 413 "))).isNotNull();
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsItsGeneration() throws Exception {
        String body = chatBody("Tell me everything.", 4096, ", \"stream\": true");
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            int contentChunks = 0;
            for (String line; contentChunks < 3 && (line = in.readLine()) != null; ) {
                if (line.contains("\"content\":\"") && !line.contains("\"role\"")) {
                    contentChunks++;
                }
            }
            assertThat(contentChunks).isEqualTo(3);
        } // closed after three pieces of an answer of up to 4096 tokens
        String line = s.awaitLog("for the cancelled stream", l -> l.contains("POST /v1/chat/completions 200 stream")
                && l.contains("cancelled (client disconnected)"));
        int completion = Integer.parseInt(line.replaceAll(".* completion=(\\d+) .*", "$1"));
        assertThat(completion).isLessThan(4096);
        s.awaitHealth(0, 0);
    }

    static List<String> events(String sse) {
        List<String> events = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            assertThat(block).startsWith("data: ");
            events.add(block.substring("data: ".length()));
        }
        return events;
    }

    static void assertError(HttpResponse<String> r, int status, String param, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject error = TestServer.json(r).getAsJsonObject("error");
        assertThat(error.get("message").getAsString()).contains(message);
        assertThat(error.get("param").isJsonNull() ? null : error.get("param").getAsString()).isEqualTo(param);
        assertThat(error.get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(error.has("code")).isTrue();
    }
}
