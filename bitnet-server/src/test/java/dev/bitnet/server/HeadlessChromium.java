package dev.bitnet.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium, driven over the DevTools protocol with the JDK's own WebSocket
 * client: open a page, evaluate JavaScript in it, take a screenshot. No browser download and no
 * npm package: only the {@code chromium} binary.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    /** The Chromium binary, if this machine has one. */
    static Optional<Path> find() {
        return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts Chromium on {@code url}, with a fresh profile in {@code profile}. */
    HeadlessChromium(Path binary, Path profile, URI url) throws IOException, InterruptedException {
        // The flags keep Chromium off the network (this machine has none) and out of the sandbox (tests may run as root).
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1000,800", url.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            socket = connect(url);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private WebSocket connect(URI url) throws IOException, InterruptedException {
        String endpoint = devToolsEndpoint();
        URI base = URI.create(endpoint.replaceFirst("^ws://([^/]+)/.*$", "http://$1/"));
        String page = null;
        for (int i = 0; i < 100 && page == null; i++) {
            String list = http.send(HttpRequest.newBuilder(base.resolve("json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonElement t : JsonParser.parseString(list).getAsJsonArray()) {
                JsonObject target = t.getAsJsonObject();
                if (target.get("type").getAsString().equals("page") && target.get("url").getAsString().startsWith(url.toString())) {
                    page = target.get("webSocketDebuggerUrl").getAsString();
                }
            }
            if (page == null) {
                Thread.sleep(100);
            }
        }
        if (page == null) {
            throw new IOException("Chromium opened no page for " + url);
        }
        return http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).join();
    }

    /** Reads Chromium's stderr until it names its DevTools address. */
    private String devToolsEndpoint() throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            if (line.startsWith("DevTools listening on ")) {
                Thread.ofPlatform().daemon().start(() -> err.lines().forEach(l -> { })); // keep draining
                return line.substring("DevTools listening on ".length()).trim();
            }
            seen.append(line).append('\n');
        }
        throw new IOException("Chromium exited without a DevTools address; it printed:\n" + seen);
    }

    /** Evaluates a JavaScript expression in the page (promises awaited) and returns its JSON value. */
    JsonElement eval(String expression) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("JavaScript failed: " + expression + "\n" + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    /** Evaluates a boolean expression every 50 ms until it is true; fails after {@code seconds}, naming it. */
    void await(String what, String condition, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            JsonElement v = eval("(() => { try { return " + condition + "; } catch (e) { return false; } })()"); // not loaded yet: false
            if (v != null && v.isJsonPrimitive() && v.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the page never showed " + what + " within " + seconds + " s (" + condition + ")");
    }

    /** Focuses the element with this id and types the text into it, then presses Enter: real input events, as from a keyboard. */
    void typeAndEnter(String elementId, String text) throws Exception {
        eval("document.getElementById('" + elementId + "').focus()");
        JsonObject insert = new JsonObject();
        insert.addProperty("text", text);
        call("Input.insertText", insert);
        for (String type : new String[] {"keyDown", "keyUp"}) {
            JsonObject key = new JsonObject();
            key.addProperty("type", type);
            key.addProperty("key", "Enter");
            key.addProperty("code", "Enter");
            key.addProperty("windowsVirtualKeyCode", 13);
            call("Input.dispatchKeyEvent", key);
        }
    }

    /** A PNG screenshot of the page. */
    byte[] screenshot() throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("format", "png");
        return Base64.getDecoder().decode(call("Page.captureScreenshot", params).get("data").getAsString());
    }

    private JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true).join();
        JsonObject r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IOException(method + " failed: " + r.get("error"));
        }
        return r.getAsJsonObject("result");
    }

    /** Collects text frames into messages and completes the calls they answer (events are ignored). */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonObject> reply = pending.remove(message.get("id").getAsInt());
                    if (reply != null) {
                        reply.complete(message);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        http.close();
    }
}
