package dev.bitnet.train.cli;

import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.loop.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (what Ctrl-C does, minus the terminal) lets the update finish, writes last/ and loss.png,
 * and ends with the signal's exit code; the run then resumes in a new process without libtorch's
 * warnings on stderr.
 */
class ShutdownTest {

    @Test
    void terminatingARunFinishesTheUpdateAndWritesLast(@TempDir Path dir) throws Exception {
        Path text = TestCorpus.write(dir, 40_000);
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"d_model\": 64, \"n_layers\": 2, \"n_heads\": 2, \"d_ff\": 128, \"context\": 32}");
        Path out = dir.resolve("run");
        List<String> cmd = trainCommand("--config", config.toString(), "--data", text.toString(), "--out", out.toString(),
                "--cache", dir.resolve("cache").toString(), "--batch", "4", "--steps", "100000",
                "--checkpoint-every", "0", "--eval-every", "0");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        Path metrics = out.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (System.nanoTime() < deadline && (!Files.exists(metrics) || Files.readAllLines(metrics).size() < 2)) {
            Thread.sleep(200);
        }
        assertThat(Files.exists(metrics)).as("the run started").isTrue();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run exits after writing last/").isTrue();
        assertThat(p.exitValue()).as("128 + SIGTERM (Ctrl-C, SIGINT, gives 130)").isEqualTo(143);
        String log = Files.readString(dir.resolve("log.txt"));
        assertThat(log).contains("stopped at step").contains("continue with --resume");
        Checkpoint last = Checkpoint.read(out);
        long lines = Files.readAllLines(metrics).size();
        assertThat(last.step()).isGreaterThanOrEqualTo(2).isEqualTo((int) lines);
        assertThat(Checkpoint.hasOptimizer(last.dir())).isTrue();
        // The loss curve is drawn on the way out too (AWT first used while the JVM shuts down).
        assertThat(log).doesNotContain("warning: cannot draw");
        assertThat(out.resolve("loss.png")).isRegularFile();

        // Loading a checkpoint once went through DJL's NDArray.set(Buffer), whose JNI call makes
        // libtorch warn that "AutoNonVariableTypeMode is deprecated"; the copy in place does not.
        Process resumed = new ProcessBuilder(trainCommand("--resume", "--data", text.toString(), "--out", out.toString(),
                "--cache", dir.resolve("cache").toString(), "--steps", Integer.toString(last.step() + 1)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("resume.txt").toFile()).start();
        assertThat(resumed.waitFor(60, TimeUnit.SECONDS)).as("the resumed run ends").isTrue();
        String resumeLog = Files.readString(dir.resolve("resume.txt"));
        assertThat(resumed.exitValue()).as(resumeLog).isZero();
        assertThat(resumeLog).contains("resuming at step " + last.step()).doesNotContain("Warning", "WARN");
    }

    private static List<String> trainCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), TrainCli.class.getName(), "train"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
