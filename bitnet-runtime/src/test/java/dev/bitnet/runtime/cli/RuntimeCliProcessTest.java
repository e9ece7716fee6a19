package dev.bitnet.runtime.cli;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The CLI as a real process, where the streams are the operating system's: a closed stdin, a
 * reader that goes away, Ctrl-C. Generations are asked for far more tokens than they could write
 * before the time limit, so a command that ends in time has stopped for the reason tested.
 */
class RuntimeCliProcessTest {

    private static final long LIMIT_SECONDS = 60;
    private static final String ENDLESS = "100000000";

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("small.bit2");
        RandomModel.write(new ModelConfig(256, 64, 1, 2, 128, 32, TokenizerKind.BYTES), ByteTokenizer.INSTANCE, 3, model);
    }

    /** {@code java ... RuntimeCli args} as a shell word list, for {@code bash -c}. */
    private static String javaCommand(String... args) {
        List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeCli.class.getName()));
        words.addAll(List.of(args));
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    private static Process bash(String script, Path log) throws IOException {
        return new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void finishes(Process p, Path log) throws Exception {
        finishes(p, () -> {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        });
    }

    private static void finishes(Process p, Supplier<String> output) throws Exception {
        if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("did not end within " + LIMIT_SECONDS + " s; output:\n" + output.get());
        }
    }

    @Test
    void generateStopsAndFailsWhenItsReaderGoesAway() throws Exception {
        Path log = dir.resolve("pipe.log");
        Process p = bash("set -o pipefail; " + javaCommand("generate", "--model", model.toString(), "--prompt", "Hello",
                "--max-tokens", ENDLESS, "--seed", "1") + " | head -c 10 >/dev/null; echo \"exit ${PIPESTATUS[0]}\"", log);
        finishes(p, log);
        String out = Files.readString(log);
        assertThat(out).contains("bitnet generate: cannot write to standard output (a closed pipe or a full disk); stopped")
                .contains("exit 1").doesNotContain("Exception");
    }

    @Test
    void chatWithStdinClosedEndsAtOnce() throws Exception {
        Path log = dir.resolve("closed.log");
        Process p = bash("exec" + javaCommand("chat", "--model", model.toString(), "--max-tokens", "5") + " <&-", log);
        finishes(p, log);
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        // the banner and one prompt: no answer to the JDK's class archive read as stdin
        assertThat(Files.readString(log)).contains("chat with small.bit2").endsWith("\n> ").hasSizeLessThan(500);
    }

    @Test
    void generateReadsThePromptFromStdinWithStdinClosedAsEmpty() throws Exception {
        Path log = dir.resolve("prompt-closed.log");
        Process p = bash(javaCommand("generate", "--model", model.toString(), "--prompt-file", "-") + " <&-; echo \"exit $?\"", log);
        finishes(p, log);
        assertThat(Files.readString(log)).contains("bitnet generate: --prompt-file: standard input is empty").contains("exit 2");
    }

    @Test
    void ctrlCStopsTheAnswerAndTheChatGoesOn() throws Exception {
        // A shell without job control starts background jobs with SIGINT ignored, and a JVM
        // cannot take a signal it inherited as ignored: then there is nothing to test here.
        assumeThat(sigintIgnored()).as("SIGINT is ignored in this test's process (a background job)").isFalse();
        Path log = dir.resolve("ctrl-c.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeCli.class.getName(), "chat", "--model", model.toString(),
                "--max-tokens", ENDLESS));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("Hello\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            while (Files.size(log) < 2000 && System.nanoTime() < deadline) { // the answer is being written
                Thread.sleep(50);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
            while (!Files.readString(log).contains("(stopped)") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
        }
        finishes(p, log);
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("(stopped)");
    }

    @Test
    void onATerminalChatHasHistoryAndCtrlCStopsTheAnswer() throws Exception {
        Path script = Path.of("/usr/bin/script"); // util-linux: runs a command on a pseudo-terminal
        assumeThat(Files.isExecutable(script)).as("util-linux script(1), for a terminal").isTrue();
        assumeThat(sigintIgnored()).as("SIGINT is ignored in this test's process (a background job)").isFalse();
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qfec", "exec" + javaCommand("chat", "--model",
                model.toString(), "--max-tokens", ENDLESS), "/dev/null").redirectErrorStream(true);
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream out = p.getInputStream()) {
                byte[] b = new byte[8192];
                for (int n; (n = out.read(b)) > 0; ) {
                    screen.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        try (OutputStream keys = p.getOutputStream()) {
            await(screen, s -> s.contains("chat with small.bit2"));
            type(keys, "/help\r");
            await(screen, s -> count(s, "forget the conversation") == 1);
            type(keys, "\033OA\r");                     // arrow up (xterm's keypad mode), Enter: /help again
            await(screen, s -> count(s, "forget the conversation") == 2);
            type(keys, "Hello\r");
            int before = screen.length();
            await(screen, s -> s.length() > before + 1000); // the answer is being written
            type(keys, "\003");                          // Ctrl-C
            await(screen, s -> s.contains("(stopped)"));
            type(keys, "/exit\r");
        }
        finishes(p, () -> screen.toString());
        reader.join(TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
        assertThat(p.exitValue()).as(screen.toString()).isZero();
        assertThat(screen.toString()).doesNotContain("[A");  // the arrow key never reached the model as text
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void await(StringBuffer screen, Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!condition.test(screen.toString())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal did not show what was expected within " + LIMIT_SECONDS
                        + " s; it shows:\n" + screen);
            }
            Thread.sleep(50);
        }
    }

    /** Whether SIGINT (bit 2) is in this process's ignored set, which child processes inherit. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeThat(Files.exists(status)).as("Linux /proc").isTrue();
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
