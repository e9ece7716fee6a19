package dev.bitnet.train.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.loop.TestCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TrainCliTest {

    @TempDir
    static Path shared;
    static Path text;
    static Path config;

    @BeforeAll
    static void files() throws IOException {
        text = TestCorpus.write(shared, 40_000);
        config = shared.resolve("small.json");
        Files.writeString(config, "{\"d_model\": 64, \"n_layers\": 2, \"n_heads\": 2, \"d_ff\": 128, \"context\": 32}");
    }

    /** Runs the CLI; returns exit code and the error stream's text. */
    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = TrainCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString());
    }

    private record Result(int code, String err) {
    }

    /** Runs the CLI; returns what the run printed on {@code System.err} (progress, evaluations, the done line). */
    private static String console(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Result r = run(args);
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--preset", "tiny", "--config", config.toString(),
                "--data", text.toString(), "--out", out.toString(), "--cache", shared.resolve("cache").toString(),
                "--batch", "4"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainsWritesMetricsAndCheckpointsThenResumesToALargerStepCount(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        String console = console(train(out, "--steps", "4", "--eval-every", "2", "--eval-batches", "2", "--seed", "5"));
        List<JsonObject> lines = metrics(out);
        List<JsonObject> trainLines = lines.stream().filter(o -> o.has("loss")).toList();
        List<JsonObject> evalLines = lines.stream().filter(o -> o.has("val_loss")).toList();
        assertThat(trainLines).hasSize(4);
        assertThat(evalLines).hasSize(2);
        for (String field : List.of("step", "tokens", "loss", "lr", "tau", "grad_norm", "tokens_per_s", "rss_mb",
                "elapsed_s")) {
            assertThat(trainLines.getFirst().has(field)).as(field).isTrue();
        }
        assertThat(trainLines.getLast().get("tokens").getAsLong()).isEqualTo(4 * 4 * 32);
        JsonObject e = evalLines.getLast();
        assertThat(e.get("val_bits_per_token").getAsDouble())
                .isCloseTo(e.get("val_loss").getAsDouble() / Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
        // Bytes tokenizer: one byte per token, so bits/byte equals bits/token.
        assertThat(e.get("val_bits_per_byte").getAsDouble())
                .isCloseTo(e.get("val_bits_per_token").getAsDouble(), org.assertj.core.data.Offset.offset(1e-6));
        Checkpoint last = Checkpoint.read(out);
        assertThat(last.step()).isEqualTo(4);
        assertThat(last.model().dModel()).isEqualTo(64);
        assertThat(Files.isRegularFile(out.resolve("best").resolve("params.bin"))).isTrue();
        // The done line: median speed, last validation figure, where the picture is.
        System.out.println(console.lines().filter(l -> l.startsWith("done:")).findFirst().orElse("no done line"));
        assertThat(console).containsPattern("done: 4 updates, median [0-9,]+ tokens/s, val "
                + String.format(java.util.Locale.ROOT, "%.4f", e.get("val_bits_per_byte").getAsDouble())
                + " bits/byte; checkpoints in " + java.util.regex.Pattern.quote(out.toString())
                + "; loss curve " + java.util.regex.Pattern.quote(out.resolve("loss.png").toString()));
        assertThat(out.resolve("loss.png")).isRegularFile();
        // What it was trained on: the --data file by name, 1 % of it held out.
        var data = last.meta().data();
        assertThat(data.train()).containsExactly("europarl.txt");
        assertThat(data.validation()).isEmpty();
        assertThat(data.valFraction()).isEqualTo(0.01);
        assertThat(data.trainTokens() + data.valTokens()).isEqualTo(Files.size(text));
        assertThat(data.describe()).startsWith("train: europarl.txt (").contains("validation: held-out 1% of training");

        Result again = run(train(out, "--steps", "6"));
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a run").contains("--resume");

        Result resumed = run("train", "--resume", "--steps", "6", "--data", text.toString(), "--out", out.toString(),
                "--cache", shared.resolve("cache").toString());
        assertThat(resumed.err()).isEmpty();
        assertThat(resumed.code()).isZero();
        assertThat(Checkpoint.read(out).step()).isEqualTo(6);
        assertThat(Checkpoint.read(out).meta().train().steps()).isEqualTo(6);
        assertThat(metrics(out).stream().filter(o -> o.has("loss")).count()).isEqualTo(6);

        // A low-LR continuation: new schedule from step 0, parameters from the run.
        Path cont = dir.resolve("cont");
        Result init = run("train", "--init-from", out.toString(), "--lr", "1e-4", "--steps", "2", "--batch", "4",
                "--ctx", "48",
                "--data", text.toString(), "--out", cont.toString(), "--cache", shared.resolve("cache").toString());
        assertThat(init.err()).isEmpty();
        assertThat(init.code()).isZero();
        Checkpoint c = Checkpoint.read(cont);
        assertThat(c.step()).isEqualTo(2);
        assertThat(c.meta().train().lr()).isEqualTo(1e-4);
        assertThat(c.model()).isEqualTo(last.model().withContext(48));
    }

    @Test
    void trainsOnTwoReplicasAndResumesOnOneDevice(@TempDir Path dir) {
        Path out = dir.resolve("run");
        Result bad = run(train(out, "--steps", "2", "--devices", "cpu,cpu"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--accum: the 1 micro-batches").contains("use a multiple of 2");

        Result two = run(train(out, "--steps", "2", "--accum", "2", "--devices", "cpu,cpu", "--val-fraction", "0"));
        assertThat(two.err()).isEmpty();
        assertThat(two.code()).isZero();
        assertThat(Checkpoint.read(out).meta().train().device()).isEqualTo("cpu,cpu");
        Result one = run("train", "--resume", "--steps", "3", "--devices", "cpu", "--data", text.toString(),
                "--out", out.toString(), "--cache", shared.resolve("cache").toString());
        assertThat(one.err()).isEmpty();
        assertThat(one.code()).isZero();
        assertThat(Checkpoint.read(out).step()).isEqualTo(3);
        assertThat(Checkpoint.read(out).meta().train().device()).isEqualTo("cpu");
    }

    private static List<JsonObject> metrics(Path out) throws IOException {
        try (Stream<String> s = Files.lines(out.resolve("metrics.jsonl"))) {
            return s.map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        }
    }

    @Test
    void versionIsTheProjects() {
        StringWriter out = new StringWriter();
        CommandLine cl = TrainCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("train", "--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo(dev.bitnet.core.Version.line());
    }

    @Test
    void badInputGetsExitCodeTwoAndOneClearMessage(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Result noData = run("train", "--data", dir.resolve("nope.txt").toString(), "--out", out.toString());
        assertThat(noData.code()).isEqualTo(2);
        assertThat(noData.err()).contains("--data: no such file or directory").contains("nope.txt");

        Result missingOut = run("train", "--data", text.toString());
        assertThat(missingOut.code()).isEqualTo(2);
        assertThat(missingOut.err()).contains("--out");

        Result noRun = run("train", "--resume", "--data", text.toString(), "--out", dir.toString());
        assertThat(noRun.code()).isEqualTo(2);
        assertThat(noRun.err()).contains("--resume").contains("not a checkpoint");

        Path badField = dir.resolve("bad.json");
        Files.writeString(badField, "{\"d_model\": 64, \"n_heads\": 3}");
        Result heads = run("train", "--config", badField.toString(), "--data", text.toString(), "--out", out.toString());
        assertThat(heads.code()).isEqualTo(2);
        assertThat(heads.err()).contains("bad.json").contains("d_model: must be divisible by n_heads");

        Files.writeString(badField, "{\"dmodel\": 64}");
        Result unknown = run("train", "--config", badField.toString(), "--data", text.toString(), "--out", out.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown model field 'dmodel'");

        Result preset = run("train", "--preset", "huge", "--data", text.toString(), "--out", out.toString());
        assertThat(preset.code()).isEqualTo(2);
        assertThat(preset.err()).contains("--preset").contains("unknown preset 'huge'");

        Result lr = run(train(out, "--lr", "-1"));
        assertThat(lr.code()).isEqualTo(2);
        assertThat(lr.err()).contains("--lr: must be a positive number, got -1.0");

        Result lrOnResume = run("train", "--resume", "--lr", "1e-3", "--data", text.toString(), "--out", out.toString());
        assertThat(lrOnResume.code()).isEqualTo(2);
        assertThat(lrOnResume.err()).contains("[--lr] cannot change").contains("--init-from");

        Result gpu = run(train(out, "--device", "gpu:3"));
        assertThat(gpu.code()).isEqualTo(2);
        assertThat(gpu.err()).contains("--device gpu:3");

        Result ctx = run(train(out, "--ctx", "100000"));
        assertThat(ctx.code()).isEqualTo(2);
        assertThat(ctx.err()).contains("fewer than one window");
        Result steps = run(train(out, "--steps", "-1"));
        assertThat(steps.code()).isEqualTo(2);
        assertThat(steps.err()).isEqualTo("bitnet train: invalid training config: --steps: must be >= 1, got -1"
                + System.lineSeparator());

        Result notANumber = run(train(out, "--steps", "many"));
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("bitnet train: Invalid value for option '--steps': 'many' is not an int"
                + " (see bitnet train --help)" + System.lineSeparator());
        for (Result each : List.of(noData, missingOut, noRun, heads, unknown, preset, lr, lrOnResume, gpu, ctx, steps, notANumber)) {
            assertThat(each.err()).startsWith("bitnet train: ").doesNotContain("\tat ");
            assertThat(each.err().lines()).hasSize(1);
        }
        assertThat(Files.exists(out.resolve("last"))).isFalse();
    }
}
