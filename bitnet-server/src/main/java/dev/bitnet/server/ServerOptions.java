package dev.bitnet.server;

/**
 * How {@link BitNetServer} listens and how many generations it runs.
 *
 * @param host           the address to bind, e.g. {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port           the TCP port, 0 for any free one
 * @param parallel       generations running at once, each in its own session, >= 1
 * @param queue          requests waiting for a slot beyond those, >= 0; more are refused with 429
 * @param sessionThreads threads each session splits its products across, >= 1
 */
public record ServerOptions(String host, int port, int parallel, int queue, int sessionThreads) {

    /** Default port, as llama.cpp's and Jlama's servers. */
    public static final int DEFAULT_PORT = 8080;
    /** Default queue length. */
    public static final int DEFAULT_QUEUE = 64;

    /** @throws IllegalArgumentException naming the first value out of range */
    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue must be >= 0, got " + queue);
        }
        if (sessionThreads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + sessionThreads);
        }
    }

    /**
     * Loopback on {@value #DEFAULT_PORT}, one single-threaded generation per processor (on a
     * loaded server that gives the most tokens per second in aggregate), {@value #DEFAULT_QUEUE} waiting.
     */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", DEFAULT_PORT, Runtime.getRuntime().availableProcessors(), DEFAULT_QUEUE, 1);
    }

    /** These options on another port. */
    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, parallel, queue, sessionThreads);
    }
}
