package dev.bitnet.server.cli;

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
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the OpenAI-compatible HTTP server and web chat page, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a model over an OpenAI-compatible HTTP API (/v1/models, /v1/completions,"
                + " /v1/chat/completions, streamed or not) with a web chat page at / and /health.",
            "One line per request goes to stderr. Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "The .bit2 model (default: the launcher's bundled model, models/default.bit2).")
    Path model;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Generations running at once, each in its own session (default: available processors).")
    Integer parallel;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_QUEUE,
            description = "Requests waiting for a free generation beyond those; more get HTTP 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads per generation (default: ${DEFAULT-VALUE}; more helps one user of a large model).")
    int threads;

    @Override
    public Integer call() throws Exception {
        ServerOptions options;
        try {
            options = new ServerOptions(host, port, parallel == null ? Runtime.getRuntime().availableProcessors() : parallel,
                    queue, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        BitNetModel m = ModelFile.load(model, spec);
        BitNetServer server;
        try {
            server = BitNetServer.start(m, options, line -> {
                synchronized (err) {
                    err.println(line);
                }
            });
        } catch (IOException e) {
            m.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            m.close();
            stopped.countDown();
        }, "bitnet-serve-shutdown"));
        spec.commandLine().getOut().printf(Locale.ROOT, "bitnet serve: %s (%,d parameters), %d parallel generations, queue %d%n"
                        + "  chat page:       %s%n  OpenAI base URL: %sv1%n",
                BitNetServer.modelId(m), m.config().parameterCount(), options.parallel(), options.queue(), server.url(), server.url());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
