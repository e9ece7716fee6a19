package dev.bitnet.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.Session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A server on the project's default model, on a free loopback port, with its access log kept for the test. */
final class TestServer implements AutoCloseable {

    static final Path DEFAULT_MODEL = Path.of("..", "models", "default.bit2");
    static final String MODEL_ID = "default";
    /**
     * A random byte-level model of the 300m preset's width and depth: slow enough (a few hundred
     * to a few thousand tokens/s) that a 4,096-token answer is still running when a test stops
     * it or leaves; the default tiny model writes one in a fraction of a second.
     */
    private static final ModelConfig SLOW = new ModelConfig(256, 1024, 16, 16, 4096, 1024, TokenizerKind.BYTES);

    final BitNetModel model;
    final BitNetServer server;
    final List<String> log = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestServer(int parallel, int queue) throws IOException {
        this(DEFAULT_MODEL, parallel, queue);
    }

    /** Writes the slow model into {@code dir} as {@code slow.bit2} (model id {@code slow}). */
    static Path slowModel(Path dir) throws IOException {
        Path file = dir.resolve("slow.bit2");
        RandomModel.write(SLOW, ByteTokenizer.INSTANCE, 5, file);
        return file;
    }

    /** A server on another model file (its id is the file name without {@code .bit2}). */
    TestServer(Path modelFile, int parallel, int queue) throws IOException {
        model = BitNetModel.load(modelFile);
        server = BitNetServer.start(model, new ServerOptions("127.0.0.1", 0, parallel, queue, 1), log::add);
    }

    URI uri(String path) {
        return server.url().resolve(path);
    }

    /** The OpenAI base URL, as clients take it. */
    String baseUrl() {
        return server.url() + "v1";
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** What the runtime answers by itself to one user message, greedily (the reference for every client). */
    String runtimeAnswer(String user, int maxTokens) {
        StringBuilder answer = new StringBuilder();
        try (Session s = model.newSession()) {
            s.generate(ChatTemplate.prompt(List.of(ChatTemplate.Message.user(user))),
                    ChatTemplate.options(GenerationOptions.greedy(maxTokens)), ChatTemplate.answerListener(answer::append));
        }
        return answer.toString();
    }

    /** What the runtime writes after a prompt by itself, greedily. */
    String runtimeCompletion(String prompt, int maxTokens) {
        try (Session s = model.newSession()) {
            return s.generate(prompt, GenerationOptions.greedy(maxTokens), GenerationListener.NONE).text();
        }
    }

    /** Waits (up to a minute) until an access-log line matches; fails naming what it waited for. */
    String awaitLog(String what, Predicate<String> match) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (String line : log) {
                if (match.test(line)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no access-log line " + what + " within a minute; the log: " + log);
    }

    /** Waits (up to a minute) until /health reports this many running and queued generations. */
    void awaitHealth(int running, int queued) throws Exception {
        JsonObject h = null;
        for (int i = 0; i < 600; i++) {
            h = json(get("/health"));
            if (h.get("running").getAsInt() == running && h.get("queued").getAsInt() == queued) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("health never showed running=" + running + ", queued=" + queued + "; last: " + h);
    }

    @Override
    public void close() {
        server.close();
        http.close();
        model.close();
    }
}
