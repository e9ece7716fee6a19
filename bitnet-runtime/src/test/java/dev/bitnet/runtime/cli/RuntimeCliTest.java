package dev.bitnet.runtime.cli;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.runtime.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI run in-process on a random byte-level model. */
class RuntimeCliTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("small.bit2");
        RandomModel.write(new ModelConfig(256, 128, 2, 4, 256, 64, TokenizerKind.BYTES), ByteTokenizer.INSTANCE, 21, model);
    }

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RuntimeCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void generateStreamsTextAndReportsSpeed() {
        Run r = run("", "generate", "--model", model.toString(), "--prompt", "Hello", "--max-tokens", "12",
                "--temperature", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank();
        assertThat(r.err()).matches("(?s)prompt: 5 tokens, [0-9.]+ tokens/s \\| generation: 12 tokens, [0-9.]+ tokens/s.*");
        // Greedy is deterministic: the same run prints the same text.
        assertThat(run("", "generate", "--model", model.toString(), "--prompt", "Hello", "--max-tokens", "12",
                "--temperature", "0").out()).isEqualTo(r.out());
    }

    @Test
    void generateJsonHasCountsAndSpeeds() {
        Run r = run("", "generate", "--model", model.toString(), "--prompt", "Hi", "--max-tokens=7", "--seed", "5",
                "--threads", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("{\"text\":").endsWith("}")
                .contains("\"prompt_tokens\":2", "\"generated_tokens\":7", "\"stop_reason\":\"max_tokens\"",
                        "\"prompt_tokens_per_second\":", "\"generation_tokens_per_second\":", "\"load_ms\":", "\"threads\":2");
        assertThat(r.out().strip().lines()).hasSize(1);
    }

    @Test
    void withoutModelTheDefaultModelIsUsed() {
        try {
            System.setProperty(DefaultModel.PROPERTY, model.toString());
            Run r = run("", "generate", "--prompt", "Hello", "--max-tokens", "4", "--temperature", "0");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(run("", "generate", "--model", model.toString(), "--prompt", "Hello",
                    "--max-tokens", "4", "--temperature", "0").out());
            assertThat(run("", "info").out()).contains(model.toString());

            Path missing = dir.resolve("no-default.bit2");
            System.setProperty(DefaultModel.PROPERTY, missing.toString());
            Run m = run("", "generate", "--prompt", "Hello");
            assertThat(m.code()).isEqualTo(2);
            assertThat(m.err()).contains("the default model " + missing + " does not exist; pass --model FILE");
        } finally {
            System.clearProperty(DefaultModel.PROPERTY);
        }
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Path damaged = dir.resolve("damaged.bit2");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 100] ^= 0x10;
        Files.write(damaged, bytes);
        Path notAModel = dir.resolve("text.bit2");
        Files.writeString(notAModel, "this is not a model file, just some text that is long enough to have a header".repeat(3));
        String m = model.toString();
        String[][] cases = {
                {"generate", "--model", damaged.toString(), "--prompt", "x"},
                {"generate", "--model", notAModel.toString(), "--prompt", "x"},
                {"generate", "--model", dir.resolve("missing.bit2").toString(), "--prompt", "x"},
                {"generate", "--prompt", "x"},
                {"generate", "--model", m, "--prompt", ""},
                {"generate", "--model", m},
                {"generate", "--model", m, "--prompt", "x", "--temperature", "-1"},
                {"generate", "--model", m, "--prompt", "x", "--top-p", "1.5"},
                {"generate", "--model", m, "--prompt", "x", "--top-k", "ten"},
                {"generate", "--model", m, "--prompt", "x", "--threads", "0"},
                {"generate", "--model", m, "--prompt", "x", "--bogus"},
                {"eval", "--model", m, "--data", dir.resolve("nothing.txt").toString()},
                {"info"},
                {"frobnicate"},
        };
        for (String[] c : cases) {
            Run r = run("", c);
            assertThat(r.code()).as(String.join(" ", c) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", c)).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(run("", "generate", "--prompt", "x").err()).contains("no model given; pass --model FILE");
        assertThat(run("", "generate", "--model", damaged.toString(), "--prompt", "x").err()).contains(damaged.toString());
        assertThat(run("", "generate", "--model", m, "--prompt", "x", "--temperature", "-1").err().strip())
                .isEqualTo("bitnet generate: temperature must be a finite value >= 0 (0 = greedy), got -1.0 (see bitnet generate --help)");
    }

    @Test
    void windowThreadsAndSessionMemoryAreBounded() {
        String m = model.toString();
        String[][] cases = {
                {"generate", "--model", m, "--prompt", "x", "--window", "2147483647"},
                {"generate", "--model", m, "--prompt", "x", "--threads", "100000"},
                {"generate", "--model", m, "--prompt", "x", "--max-session-mb", "0"},
                {"generate", "--model", m, "--prompt", "x", "--window", "1000000", "--max-session-mb", "1"},
        };
        for (String[] c : cases) {
            Run r = run("", c);
            assertThat(r.code()).as(String.join(" ", c) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", c)).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(run("", cases[3]).err()).contains("more than the limit of 1.0 MiB", "--max-session-mb");
        Run big = run("", "generate", "--model", m, "--prompt", "x", "--max-tokens", "3", "--window", "1000000",
                "--max-session-mb", "2000");
        assertThat(big.code()).as(big.err()).isZero();
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"generate", "chat", "eval", "info"}) {
            Run r = run("", c, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("usage: bitnet " + c);
        }
        assertThat(run("", "--help").out()).contains("generate", "chat", "eval", "info");
    }

    @Test
    void versionIsTheProjectVersion() {
        for (String[] args : new String[][] {{"--version"}, {"generate", "--version"}, {"chat", "--model", "x", "--version"}}) {
            Run r = run("", args);
            assertThat(r.code()).isZero();
            assertThat(r.out().strip()).isEqualTo(dev.bitnet.core.Version.line());
        }
    }

    @Test
    void generateTakesThePromptFromAFileOrStdin() throws Exception {
        String prompt = "Hello, this prompt could be longer than a command line may be. ".repeat(40);
        Path file = dir.resolve("prompt.txt");
        Files.writeString(file, prompt);
        String[] options = {"--model", model.toString(), "--max-tokens", "6", "--temperature", "0", "--json"};
        Run direct = run("", concat(new String[] {"generate", "--prompt", prompt}, options));
        Run fromFile = run("", concat(new String[] {"generate", "--prompt-file", file.toString()}, options));
        Run fromStdin = run(prompt, concat(new String[] {"generate", "--prompt-file", "-"}, options));
        assertThat(direct.code()).as(direct.err()).isZero();
        assertThat(direct.out()).contains("\"prompt_tokens\":" + prompt.length() + ",");
        // The same prompt, the same greedy text (the speeds differ).
        String text = direct.out().substring(0, direct.out().indexOf(",\"prompt_tokens\""));
        assertThat(fromFile.out()).startsWith(text);
        assertThat(fromStdin.out()).startsWith(text);

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xe9});
        String[][] bad = {
                {"generate", "--model", model.toString(), "--prompt", "x", "--prompt-file", file.toString()},
                {"generate", "--model", model.toString(), "--prompt-file", dir.resolve("absent.txt").toString()},
                {"generate", "--model", model.toString(), "--prompt-file", latin1.toString()},
                {"generate", "--model", model.toString(), "--prompt-file", "-"},
        };
        String[] messages = {"give either --prompt or --prompt-file, not both", "--prompt-file: file " + dir.resolve("absent.txt")
                + " does not exist", "--prompt-file: file " + latin1 + " is not valid UTF-8", "--prompt-file: standard input is empty"};
        for (int i = 0; i < bad.length; i++) {
            Run r = run("", bad[i]);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("bitnet generate: " + messages[i]);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void chatListsItsCommands() {
        Run r = run("/help\n/frobnicate\n", "chat", "--model", model.toString(), "--max-tokens", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("/reset", "/exit", "Ctrl-C", "(no command /frobnicate; /help lists the commands)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void evalRedrawsItsProgressOnATerminal() throws Exception {
        Path text = dir.resolve("long.txt");
        Files.writeString(text, "All work and no play makes Jack a dull boy. ".repeat(200));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = RuntimeCli.run(new String[] {"eval", "--model", model.toString(), "--data", text.toString()},
                new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        errStream, null, true, null));
        assertThat(code).isZero();
        String progress = err.toString(StandardCharsets.UTF_8);
        // 8,800 tokens in three pieces: one line, redrawn with a carriage return, ended once
        assertThat(progress).startsWith("\reval: 4096/8800").contains("\reval: 8192/8800", "\reval: 8800/8800").endsWith("\n");
        assertThat(progress.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void chatKeepsTheConversationAndResets() {
        Run r = run("hello\nhow are you\n/reset\nhello\n/exit\nnot read\n", "chat", "--model", model.toString(),
                "--max-tokens", "8", "--temperature", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("(conversation reset)");
        String[] answers = r.out().split("\n", -1);
        // Three turns, one answer line each (answers may be cut short by "\nUser:").
        assertThat(r.out().lines().count()).isGreaterThanOrEqualTo(3);
        // After /reset the first question gets the same greedy answer as at the start.
        assertThat(answers[answers.length - 2]).isEqualTo(answers[0]);
    }

    @Test
    void evalReportsBitsPerTokenAndByte() throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "The quick brown fox jumps over the lazy dog. ".repeat(40));
        Run r = run("", "eval", "--model", model.toString(), "--data", text.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"tokens\":1799", "\"bytes\":1799", "\"bits_per_token\":", "\"bits_per_byte\":");
        assertThat(r.err()).contains("eval: 1800/1800 tokens");
        Run plain = run("", "eval", "--model", model.toString(), "--data", text.toString());
        assertThat(plain.out()).matches("(?s).*1799 tokens, 1799 bytes: [0-9.]+ bits/token, [0-9.]+ bits/byte\\s*");
    }

    @Test
    void evalWithGpt2ScoresEveryTokenAfterEndOfText() throws Exception {
        ModelConfig c = new ModelConfig(50257, 64, 1, 2, 64, 32, TokenizerKind.GPT2);
        Path gpt2 = TestModels.random(c, 4, dir);
        String text = "Parliament adopted the resolution. The debate is closed.\n".repeat(5);
        Path data = dir.resolve("gpt2.txt");
        Files.writeString(data, text);
        int tokens = TestModels.tokenizer(TokenizerKind.GPT2).encode(text).length;
        Run r = run("", "eval", "--model", gpt2.toString(), "--data", data.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"tokens\":" + tokens + ",", "\"bytes\":" + text.getBytes(StandardCharsets.UTF_8).length + ",");
    }

    @Test
    void infoDescribesTheFileAndItsChecksums() throws Exception {
        Run r = run("", "info", "--model", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("d_model 128", "layers 2", "tokenizer bytes", "checksums   ok", "layout      ok",
                "metadata    source = random");
        Path damaged = dir.resolve("damaged-info.bit2");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 100] ^= 0x10;
        Files.write(damaged, bytes);
        Run bad = run("", "info", "--model", damaged.toString(), "--json");
        assertThat(bad.code()).isZero();
        assertThat(bad.out()).contains("\"checksums\":\"FAILED: ", "\"parameters\":");
    }
}
