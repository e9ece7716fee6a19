package dev.bitnet.compact.cli;

import dev.bitnet.compact.RandomCheckpoints;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.FloatTensor;
import dev.bitnet.train.checkpoint.TensorFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CompactCommandTest {

    // V=256, d=64, L=2, H=2, F=128, T=32.
    static final ModelConfig SMALL = new ModelConfig(256, 64, 2, 2, 128, 32, TokenizerKind.BYTES);

    @TempDir
    static Path shared;
    static Path checkpoint;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        checkpoint = RandomCheckpoints.write(shared.resolve("run").resolve(Checkpoint.LAST), SMALL, 3, true);
    }

    private int run(String... args) {
        return CompactCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void exportsARunDirectoryWithVerificationAndASizeReport() throws Exception {
        Path file = dir.resolve("small.bit2");
        assertThat(run("compact", "--checkpoint", checkpoint.getParent().toString(), "--out", file.toString(), "--verify"))
                .isZero();
        assertThat(err.toString()).isEmpty();
        // T = 32: 64 windows of 32 positions, 16 greedy tokens after a 16-token prompt.
        assertThat(out.toString()).contains("verifying on bundled Moby Dick ch. 1-2: 64 x 32 positions, 16 greedy tokens")
                .contains("parity ok: 2,048 positions")
                .contains(String.format("checkpoint parameters %,d bytes (params.bin), .bit2 %,d bytes",
                        Files.size(checkpoint.resolve("params.bin")), Files.size(file)));
        try (Bit2File f = Bit2File.open(file)) {
            f.requireModelLayout();
            assertThat(f.metadata()).containsEntry("source", checkpoint.getParent().getFileName() + "/" + checkpoint.getFileName());
        }
        assertThat(leftovers()).containsExactly("small.bit2");   // no temporary file beside it
    }

    @Test
    void missingDirectoryIsBadInput() {
        Path file = dir.resolve("m.bit2");
        assertThat(run("compact", "--checkpoint", dir.resolve("nope").toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("bitnet compact: " + dir.resolve("nope") + ": no such checkpoint directory"
                + System.lineSeparator());
        assertThat(file).doesNotExist();
    }

    @Test
    void foreignDirectoryIsBadInput() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(foreign.resolve("cat.jpg"), "not a checkpoint");
        assertThat(run("compact", "--checkpoint", foreign.toString(), "--out", dir.resolve("m.bit2").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("bitnet compact: " + foreign + ": not a checkpoint (no checkpoint.json)");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void incompatibleVersionIsBadInput() throws IOException {
        Path c = copyCheckpoint("v2");
        Path json = c.resolve("checkpoint.json");
        Files.writeString(json, Files.readString(json).replace("\"version\": 1", "\"version\": 2"));
        assertThat(run("compact", "--checkpoint", c.toString(), "--out", dir.resolve("m.bit2").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("checkpoint version 2 is not supported");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void floatAblationCheckpointCannotBeExported() throws IOException {
        Path c = copyCheckpoint("twin");
        Path json = c.resolve("checkpoint.json");
        Files.writeString(json, Files.readString(json).replace("\"float_ablation\": false", "\"float_ablation\": true"));
        assertThat(run("compact", "--checkpoint", c.toString(), "--out", dir.resolve("m.bit2").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("a float-ablation checkpoint (the float twin) cannot be exported");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void nonFiniteParameterIsNamedAndNothingIsWritten() throws IOException {
        Path c = copyCheckpoint("inf");
        SequencedMap<String, FloatTensor> params = new LinkedHashMap<>(TensorFile.read(c.resolve("params.bin")));
        float[] g = params.get("layers.1.ffn_norm.gamma").data().clone();
        g[42] = Float.POSITIVE_INFINITY;
        params.put("layers.1.ffn_norm.gamma", new FloatTensor(new long[] {64}, g));
        TensorFile.write(c.resolve("params.bin"), params);
        assertThat(run("compact", "--checkpoint", c.toString(), "--out", dir.resolve("m.bit2").toString(), "--verify"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("tensor 'layers.1.ffn_norm.gamma' has a non-finite value Infinity at [42]");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void verifyTextThatIsTooShortOrMissingLeavesNoFile() throws IOException {
        Path shortText = Files.writeString(dir.resolve("short.txt"), "Call me Ishmael.");
        Path file = dir.resolve("m.bit2");
        assertThat(run("compact", "--checkpoint", checkpoint.toString(), "--out", file.toString(), "--verify",
                "--verify-text", shortText.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("verify text has 16 tokens").contains("needs 2048");
        assertThat(leftovers()).containsExactly("short.txt");

        assertThat(run("compact", "--checkpoint", checkpoint.toString(), "--out", file.toString(), "--verify",
                "--verify-text", dir.resolve("none.txt").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--verify-text: no such file: " + dir.resolve("none.txt"));
        assertThat(leftovers()).containsExactly("short.txt");
    }

    @Test
    void outputInAMissingDirectoryIsBadInput() {
        Path file = dir.resolve("no/such/dir/m.bit2");
        assertThat(run("compact", "--checkpoint", checkpoint.toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out: directory " + dir.resolve("no/such/dir") + " does not exist");
    }

    private Path copyCheckpoint(String name) throws IOException {
        Path c = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path p : files.toList()) {
                Files.copy(p, c.resolve(p.getFileName()));
            }
        }
        return c;
    }

    /** Files directly in the test directory other than the checkpoints copied there. */
    private java.util.List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
