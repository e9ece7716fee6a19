package dev.bitnet.server.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: serve's bad input as one line and an exit status, serve-bench end to end. */
class ServerCliTest {

    static final String MODEL = "../models/default.bit2";

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ServerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void badInputIsOneLineNamingIt() throws Exception {
        Run missing = run("serve", "--model", "no-such.bit2", "--port", "0");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("--model: ").contains("no-such.bit2").doesNotContain("\tat ");

        Run port = run("serve", "--model", MODEL, "--port", "70000");
        assertThat(port.status()).isEqualTo(2);
        assertThat(port.err()).contains("port must be in [0, 65535], got 70000");

        Run parallel = run("serve", "--model", MODEL, "--parallel", "0");
        assertThat(parallel.err()).contains("parallel must be >= 1, got 0");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run busy = run("serve", "--model", MODEL, "--port", String.valueOf(taken.getLocalPort()));
            assertThat(busy.status()).isEqualTo(1);
            assertThat(busy.err()).startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void serveBenchComparesSequentialAndConcurrentChats() {
        Run r = run("serve-bench", "--model", MODEL, "--clients", "3", "--max-tokens", "6");
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("default, 3 clients, 6 max tokens", "aggregate tokens/s", "time to first token p99 (ms)",
                "same answers: 3 of 3; failed requests: 0");
        assertThat(r.out()).containsPattern("tokens generated +(\\d+) +\\1\\n");
    }
}
