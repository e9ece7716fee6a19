package dev.bitnet.server.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.server.BitNetServer;
import dev.bitnet.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code serve-bench}: a load test of {@code serve} on loopback. It starts a server in this
 * process, sends N streamed chats one after another, then the same N at once, all greedy
 * (temperature 0), and reports whether the concurrent answers equal the sequential ones, the
 * tokens per second in aggregate and per stream, and the time to first token.
 */
@Command(name = "serve-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load test of the server on loopback: N streamed greedy chats one after another, then all N at once;"
                + " checks that both give the same answers and reports tokens/s (aggregate and per stream) and the"
                + " p50/p99 time to first token.",
            "Exit status: 0 the answers agree and no request failed, 1 otherwise, 2 bad option."})
final class ServeBenchCommand implements Callable<Integer> {

    private static final String[] QUESTIONS = {
        "What did the President say about the economy?", "Tell me about the sea.", "Who was Captain Ahab?",
        "What is the state of the union?", "Describe a whale.", "What should Congress do next year?",
        "Where did the ship sail?", "Why do sailors go to sea?"};

    /** Chats sent before measuring. */
    private static final int WARM_UP = 8;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "The .bit2 model (default: the launcher's bundled model, models/default.bit2).")
    Path model;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "32",
            description = "Chats, sent one after another and then all at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "64",
            description = "Tokens per answer at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--parallel", paramLabel = "N",
            description = "The server's parallel generations (default: available processors, as serve).")
    Integer parallel;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per generation (default: ${DEFAULT-VALUE}, as serve).")
    int threads;

    /** One streamed chat as the client saw it; times in nanoseconds from System.nanoTime. */
    record Stream(String text, int completionTokens, long start, long firstToken, long end, String error) {
        double ttftMillis() {
            return (firstToken - start) / 1e6;
        }

        /** Tokens per second as its user saw them: from sending the request to the last token. */
        double tokensPerSecond() {
            return end > start ? completionTokens * 1e9 / (end - start) : 0;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || maxTokens < 1) {
            throw new ParameterException(spec.commandLine(), "--clients and --max-tokens must be >= 1");
        }
        ServerOptions options;
        try {
            options = new ServerOptions("127.0.0.1", 0, parallel == null ? Runtime.getRuntime().availableProcessors() : parallel,
                    clients, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BitNetModel m = ModelFile.load(model, spec);
             BitNetServer server = BitNetServer.start(m, options, line -> { });
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI url = server.url().resolve("v1/chat/completions");
            out.printf(Locale.ROOT, "serve-bench: %s, %d clients, %d max tokens, %d parallel generations x %d thread(s), %d processors%n",
                    BitNetServer.modelId(m), clients, maxTokens, options.parallel(), threads, Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < Math.min(clients, WARM_UP); i++) {
                chat(client, url, i); // warm-up (the JIT compiles the hot paths), not counted
            }
            long t0 = System.nanoTime();
            List<Stream> sequential = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sequential.add(chat(client, url, i));
            }
            long sequentialNanos = System.nanoTime() - t0;
            List<Stream> concurrent = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            long t1;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Stream>> futures = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        go.await();
                        return chat(client, url, n);
                    }));
                }
                t1 = System.nanoTime();
                go.countDown();
                for (Future<Stream> f : futures) {
                    concurrent.add(f.get());
                }
            }
            long concurrentNanos = System.nanoTime() - t1;
            return report(out, sequential, sequentialNanos, concurrent, concurrentNanos);
        }
    }

    private int report(PrintWriter out, List<Stream> sequential, long sequentialNanos, List<Stream> concurrent, long concurrentNanos) {
        int errors = 0;
        int same = 0;
        for (int i = 0; i < clients; i++) {
            Stream s = sequential.get(i);
            Stream c = concurrent.get(i);
            for (Stream x : List.of(s, c)) {
                if (x.error() != null) {
                    errors++;
                    out.println("  chat " + i + " failed: " + x.error());
                }
            }
            if (s.error() == null && c.error() == null) {
                if (s.text().equals(c.text())) {
                    same++;
                } else {
                    out.printf("  chat %d differs:%n    sequential: %s%n    concurrent: %s%n", i, s.text(), c.text());
                }
            }
        }
        out.printf(Locale.ROOT, "%-28s %12s %12s%n", "", "sequential", "concurrent");
        row(out, "wall time (s)", sequentialNanos / 1e9, concurrentNanos / 1e9, "%12.2f");
        row(out, "tokens generated", tokens(sequential), tokens(concurrent), "%12.0f");
        row(out, "aggregate tokens/s", tokens(sequential) * 1e9 / sequentialNanos, tokens(concurrent) * 1e9 / concurrentNanos, "%12.1f");
        row(out, "per-stream tokens/s, mean", mean(sequential), mean(concurrent), "%12.1f");
        row(out, "time to first token p50 (ms)", percentile(sequential, 50), percentile(concurrent, 50), "%12.1f");
        row(out, "time to first token p99 (ms)", percentile(sequential, 99), percentile(concurrent, 99), "%12.1f");
        out.printf(Locale.ROOT, "same answers: %d of %d; failed requests: %d%n", same, clients, errors);
        return same == clients && errors == 0 ? 0 : 1;
    }

    private static void row(PrintWriter out, String name, double a, double b, String format) {
        out.printf(Locale.ROOT, "%-28s " + format + " " + format + "%n", name, a, b);
    }

    private static double tokens(List<Stream> streams) {
        return streams.stream().mapToInt(Stream::completionTokens).sum();
    }

    /** The mean per-stream rate: each stream's tokens over its time from request to last token. */
    private static double mean(List<Stream> streams) {
        return streams.stream().mapToDouble(Stream::tokensPerSecond).average().orElse(0);
    }

    /** Nearest-rank percentile of the time to first token (with 32 streams, p99 is the slowest). */
    static double percentile(List<Stream> streams, int p) {
        double[] t = streams.stream().filter(s -> s.error() == null).mapToDouble(Stream::ttftMillis).sorted().toArray();
        if (t.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * t.length);
        return t[Math.max(0, rank - 1)];
    }

    private Stream chat(HttpClient client, URI url, int n) {
        JsonObject body = new JsonObject();
        JsonArray messages = new JsonArray();
        JsonObject user = new JsonObject();
        user.addProperty("role", "user");
        user.addProperty("content", QUESTIONS[n % QUESTIONS.length] + (n >= QUESTIONS.length ? " (" + n + ")" : ""));
        messages.add(user);
        body.add("messages", messages);
        body.addProperty("temperature", 0);
        body.addProperty("max_tokens", maxTokens);
        body.addProperty("stream", true);
        JsonObject streamOptions = new JsonObject();
        streamOptions.addProperty("include_usage", true);
        body.add("stream_options", streamOptions);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long start = System.nanoTime();
        long first = 0;
        int tokens = 0;
        StringBuilder text = new StringBuilder();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                return new Stream("", 0, start, start, System.nanoTime(), "HTTP " + response.statusCode() + ": "
                        + String.join("\n", response.body().toList()));
            }
            boolean done = false;
            for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
                String line = lines.next();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring("data: ".length());
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonObject chunk = JsonParser.parseString(data).getAsJsonObject();
                JsonElement usage = chunk.get("usage");
                if (usage != null && usage.isJsonObject()) {
                    tokens = usage.getAsJsonObject().get("completion_tokens").getAsInt();
                }
                JsonArray choices = chunk.getAsJsonArray("choices");
                if (!choices.isEmpty()) {
                    JsonElement content = choices.get(0).getAsJsonObject().getAsJsonObject("delta").get("content");
                    if (content != null && !content.isJsonNull() && !content.getAsString().isEmpty()) {
                        if (first == 0) {
                            first = System.nanoTime();
                        }
                        text.append(content.getAsString());
                    }
                }
            }
            long end = System.nanoTime();
            return new Stream(text.toString(), tokens, start, first == 0 ? end : first, end,
                    done ? null : "the stream ended without data: [DONE]");
        } catch (IOException | RuntimeException e) {
            return new Stream(text.toString(), tokens, start, start, System.nanoTime(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Stream(text.toString(), tokens, start, start, System.nanoTime(), "interrupted");
        }
    }

}
