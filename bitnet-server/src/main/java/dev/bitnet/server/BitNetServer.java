package dev.bitnet.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible HTTP server on one loaded {@link BitNetModel}, and a web chat page at
 * {@code /}. Endpoints: {@code GET /v1/models}, {@code POST /v1/completions},
 * {@code POST /v1/chat/completions} (both streamed as server-sent events with
 * {@code "stream": true}), {@code GET /health}. Chats are written with {@link ChatTemplate}.
 *
 * <p>Built on the JDK's own HTTP server ({@code com.sun.net.httpserver}), one virtual thread per
 * request. Generations run on a fixed pool of {@link ServerOptions#parallel()} platform threads,
 * each in its own {@link Session} of the shared, mapped model; up to {@link ServerOptions#queue()}
 * more requests wait, and beyond that the server answers 429. A streamed generation stops when
 * its client disconnects. One access-log line per request goes to the log consumer.
 *
 * <pre>{@code
 * try (BitNetModel model = BitNetModel.load(Path.of("model.bit2"));
 *      BitNetServer server = BitNetServer.start(model, ServerOptions.defaults(), System.err::println)) {
 *     System.out.println("serving on " + server.url());
 *     Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class BitNetServer implements AutoCloseable {

    /** The largest request body read; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    static {
        // Streamed tokens are small writes: without TCP_NODELAY, Nagle's algorithm holds each one
        // back until the client's delayed ACK (about 40 ms). The JDK's server reads this property
        // once, when its first server starts; a value the application set wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final String PAGE = "/dev/bitnet/server/index.html";

    private final BitNetModel model;
    private final String modelId;
    private final ServerOptions options;
    private final Consumer<String> log;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ThreadPoolExecutor generations;
    private final Set<Session> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final long createdSeconds = System.currentTimeMillis() / 1000;
    private final byte[] page;

    private BitNetServer(BitNetModel model, ServerOptions options, Consumer<String> log) throws IOException {
        this.model = model;
        this.modelId = modelId(model);
        this.options = options;
        this.log = log;
        try (InputStream in = BitNetServer.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is missing from the bitnet-server jar");
            }
            this.page = in.readAllBytes();
        }
        BlockingQueue<Runnable> queue = options.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(options.queue());
        AtomicLong threads = new AtomicLong();
        this.generations = new ThreadPoolExecutor(options.parallel(), options.parallel(), 0, TimeUnit.SECONDS, queue,
                r -> Thread.ofPlatform().daemon().name("bitnet-generation-" + threads.incrementAndGet()).unstarted(r));
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Starts serving {@code model} (which stays the caller's to close, after the server).
     *
     * @param accessLog receives one line per request
     * @throws IOException if the address cannot be bound (e.g. the port is taken)
     */
    public static BitNetServer start(BitNetModel model, ServerOptions options, Consumer<String> accessLog) throws IOException {
        return new BitNetServer(model, options, accessLog);
    }

    /** The model's id in the API: its file name without {@code .bit2}. */
    public static String modelId(BitNetModel model) {
        String name = model.path().getFileName().toString();
        return name.endsWith(".bit2") ? name.substring(0, name.length() - ".bit2".length()) : name;
    }

    /** The port it listens on (the chosen one when the options asked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base address, e.g. {@code http://127.0.0.1:8080/}; the OpenAI base URL is this plus {@code v1}. */
    public URI url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Stops listening, cancels the running generations and ends the threads. */
    @Override
    public void close() {
        http.stop(0);
        running.forEach(Session::cancel);
        generations.shutdownNow();
        handlers.shutdownNow();
    }

    /** What one request did, for its access-log line. */
    private static final class Outcome {
        int status = 200;
        boolean stream;
        GenerationResult result;
        boolean clientGone;
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        Outcome outcome = new Outcome();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        try {
            route(ex, method, path, outcome);
        } catch (ApiError e) {
            outcome.status = e.status();
            sendJson(ex, e.status(), e.toJson(), outcome);
        } catch (RuntimeException e) {
            outcome.status = 500;
            sendJson(ex, 500, ApiError.internal(e.toString()).toJson(), outcome);
        } finally {
            ex.close();
            log.accept(accessLine(ex, method, path, outcome, System.nanoTime() - t0));
        }
    }

    private void route(HttpExchange ex, String method, String path, Outcome outcome) throws ApiError {
        switch (path) {
            case "/", "/index.html" -> {
                requireMethod(method, path, "GET");
                send(ex, 200, "text/html; charset=utf-8", page, outcome);
            }
            case "/health" -> {
                requireMethod(method, path, "GET");
                JsonObject h = new JsonObject();
                h.addProperty("status", "ok");
                h.addProperty("model", modelId);
                h.addProperty("running", generations.getActiveCount());
                h.addProperty("queued", generations.getQueue().size());
                h.addProperty("parallel", options.parallel());
                h.addProperty("queue", options.queue());
                sendJson(ex, 200, h, outcome);
            }
            case "/v1/models" -> {
                requireMethod(method, path, "GET");
                JsonObject list = new JsonObject();
                list.addProperty("object", "list");
                JsonArray data = new JsonArray();
                data.add(modelObject());
                list.add("data", data);
                sendJson(ex, 200, list, outcome);
            }
            case "/v1/chat/completions", "/v1/completions" -> {
                requireMethod(method, path, "POST");
                String body = readBody(ex);
                ApiRequest request = path.equals("/v1/completions")
                        ? ApiRequest.completion(body, modelId) : ApiRequest.chat(body, modelId);
                generate(ex, request, outcome);
            }
            default -> {
                if (path.startsWith("/v1/models/")) {
                    requireMethod(method, path, "GET");
                    String id = path.substring("/v1/models/".length());
                    if (!id.equals(modelId)) {
                        throw ApiError.unknownModel(id, modelId);
                    }
                    sendJson(ex, 200, modelObject(), outcome);
                } else {
                    throw ApiError.notFound(method, path);
                }
            }
        }
    }

    private JsonObject modelObject() {
        JsonObject m = new JsonObject();
        m.addProperty("id", modelId);
        m.addProperty("object", "model");
        m.addProperty("created", createdSeconds);
        m.addProperty("owned_by", "bitnet");
        return m;
    }

    private static void requireMethod(String method, String path, String allowed) throws ApiError {
        if (!method.equals(allowed)) {
            throw ApiError.methodNotAllowed(method, path, allowed);
        }
    }

    private static String readBody(HttpExchange ex) throws ApiError {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    throw ApiError.tooLarge(MAX_BODY_BYTES);
                }
            } catch (NumberFormatException e) {
                throw ApiError.invalid(null, "Content-Length is not a number: " + length);
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw ApiError.tooLarge(MAX_BODY_BYTES);
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiError.invalid(null, "The request body could not be read: " + e.getMessage());
        }
    }

    /** Queues the generation on the pool (429 when it is full) and waits for it; it answers the request itself. */
    private void generate(HttpExchange ex, ApiRequest request, Outcome outcome) throws ApiError {
        outcome.stream = request.stream();
        Future<GenerationResult> done;
        try {
            done = generations.submit(() -> request.stream() ? stream(ex, request, outcome) : complete(ex, request, outcome));
        } catch (RejectedExecutionException e) {
            throw ApiError.busy(options.parallel(), options.queue());
        }
        try {
            outcome.result = done.get();
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiError api) {
                throw api;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private GenerationResult complete(HttpExchange ex, ApiRequest request, Outcome outcome) {
        StringBuilder text = new StringBuilder();
        GenerationListener collect = text::append;
        GenerationResult r = run(request, request.chat() ? ChatTemplate.answerListener(collect) : collect, null);
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        if (request.chat()) {
            JsonObject message = new JsonObject();
            message.addProperty("role", "assistant");
            message.addProperty("content", text.toString());
            choice.add("message", message);
        } else {
            choice.addProperty("text", text.toString());
        }
        choice.add("logprobs", JsonNull.INSTANCE);
        choice.addProperty("finish_reason", finishReason(r));
        JsonObject body = envelope(request, request.chat() ? "chat.completion" : "text_completion");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        body.add("choices", choices);
        body.add("usage", usage(r));
        sendJson(ex, 200, body, outcome);
        return r;
    }

    private GenerationResult stream(HttpExchange ex, ApiRequest request, Outcome outcome) {
        JsonObject head = envelope(request, request.chat() ? "chat.completion.chunk" : "text_completion");
        Events events = new Events(ex, head, request.includeUsage());
        if (request.chat()) {
            JsonObject delta = new JsonObject();
            delta.addProperty("role", "assistant");
            delta.addProperty("content", "");
            events.choice(delta, null, null);
        } else {
            events.open();
        }
        if (events.gone) {
            outcome.clientGone = true;
            return null; // left while waiting in the queue
        }
        Session[] session = new Session[1];
        GenerationListener send = piece -> {
            if (events.gone) {
                return;
            }
            if (request.chat()) {
                JsonObject delta = new JsonObject();
                delta.addProperty("content", piece);
                events.choice(delta, null, null);
            } else {
                events.choice(null, piece, null);
            }
            if (events.gone) {
                session[0].cancel();
            }
        };
        GenerationResult r = run(request, request.chat() ? ChatTemplate.answerListener(send) : send, session);
        if (!events.gone) {
            events.choice(request.chat() ? new JsonObject() : null, request.chat() ? null : "", finishReason(r));
            if (request.includeUsage()) {
                events.usage(usage(r));
            }
            events.done();
        }
        outcome.clientGone = events.gone;
        return r;
    }

    /** Runs one generation in a new session; {@code holder[0]}, if given, is set to the session for cancelling. */
    private GenerationResult run(ApiRequest request, GenerationListener listener, Session[] holder) {
        try (Session session = model.newSession(options.sessionThreads())) {
            if (holder != null) {
                holder[0] = session;
            }
            running.add(session);
            try {
                return session.generate(request.prompt(), request.options(), listener);
            } finally {
                running.remove(session);
            }
        }
    }

    private JsonObject envelope(ApiRequest request, String object) {
        JsonObject o = new JsonObject();
        o.addProperty("id", (request.chat() ? "chatcmpl-" : "cmpl-") + ids.incrementAndGet());
        o.addProperty("object", object);
        o.addProperty("created", System.currentTimeMillis() / 1000);
        o.addProperty("model", modelId);
        return o;
    }

    private static JsonObject usage(GenerationResult r) {
        JsonObject u = new JsonObject();
        u.addProperty("prompt_tokens", r.promptTokens());
        u.addProperty("completion_tokens", r.generatedTokens());
        u.addProperty("total_tokens", r.promptTokens() + r.generatedTokens());
        return u;
    }

    private static String finishReason(GenerationResult r) {
        return switch (r.stopReason()) {
            case MAX_TOKENS -> "length";
            case END_OF_TEXT, STOP_STRING, CANCELLED -> "stop";
        };
    }

    /** The server-sent events of one streamed answer; {@link #gone} turns true when a write fails (the client left). */
    private static final class Events {
        private final HttpExchange ex;
        private final JsonObject head;
        private final boolean withUsageField;
        private OutputStream out;
        volatile boolean gone;

        Events(HttpExchange ex, JsonObject head, boolean withUsageField) {
            this.ex = ex;
            this.head = head;
            this.withUsageField = withUsageField;
        }

        void open() {
            if (out == null && !gone) {
                try {
                    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
                    ex.getResponseHeaders().set("Cache-Control", "no-cache");
                    ex.sendResponseHeaders(200, 0);
                    out = ex.getResponseBody();
                } catch (IOException e) {
                    gone = true;
                }
            }
        }

        /** A chunk with one choice: a chat delta, or a completion text. */
        void choice(JsonObject delta, String text, String finishReason) {
            JsonObject choice = new JsonObject();
            choice.addProperty("index", 0);
            if (delta != null) {
                choice.add("delta", delta);
            } else {
                choice.addProperty("text", text);
            }
            choice.add("logprobs", JsonNull.INSTANCE);
            choice.add("finish_reason", finishReason == null ? JsonNull.INSTANCE : GSON.toJsonTree(finishReason));
            JsonObject chunk = head.deepCopy();
            JsonArray choices = new JsonArray();
            choices.add(choice);
            chunk.add("choices", choices);
            if (withUsageField) {
                chunk.add("usage", JsonNull.INSTANCE); // as OpenAI: null in every chunk but the last
            }
            send(GSON.toJson(chunk));
        }

        void usage(JsonObject usage) {
            JsonObject chunk = head.deepCopy();
            chunk.add("choices", new JsonArray());
            chunk.add("usage", usage);
            send(GSON.toJson(chunk));
        }

        void done() {
            send("[DONE]");
        }

        private void send(String data) {
            open();
            if (gone) {
                return;
            }
            try {
                out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                gone = true;
            }
        }
    }

    private static void sendJson(HttpExchange ex, int status, JsonElement body, Outcome outcome) {
        send(ex, status, "application/json", GSON.toJson(body).getBytes(StandardCharsets.UTF_8), outcome);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body, Outcome outcome) {
        try {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            outcome.clientGone = true;
        }
    }

    private static String accessLine(HttpExchange ex, String method, String path, Outcome o, long nanos) {
        StringBuilder line = new StringBuilder();
        line.append(ex.getRemoteAddress().getAddress().getHostAddress()).append(' ').append(method).append(' ').append(path)
                .append(' ').append(o.status);
        if (o.result != null) {
            GenerationResult r = o.result;
            line.append(o.stream ? " stream" : "").append(String.format(Locale.ROOT, " prompt=%d completion=%d %.1f tokens/s %s",
                    r.promptTokens(), r.generatedTokens(), r.generationTokensPerSecond(),
                    o.clientGone ? "cancelled (client disconnected)" : "finish=" + finishReason(r)));
        } else if (o.clientGone) {
            line.append(" client disconnected");
        }
        line.append(String.format(Locale.ROOT, " %.3f s", nanos / 1e9));
        return line.toString();
    }
}
