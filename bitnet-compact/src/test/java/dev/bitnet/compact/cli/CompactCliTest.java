package dev.bitnet.compact.cli;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CompactCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CompactCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void randomTinyWritesAByteModel() throws Exception {
        Path file = dir.resolve("tiny.bit2");
        assertThat(run("random", "--preset", "tiny", "--seed", "3", "--out", file.toString())).isEqualTo(0);
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("wrote " + file).contains(String.format("%,d bytes", Files.size(file)))
                .contains("preset tiny").contains(String.format("%,d parameters", ModelConfig.preset("tiny").parameterCount()));
        try (Bit2File f = Bit2File.open(file)) {
            f.requireModelLayout();
            assertThat(f.config()).isEqualTo(ModelConfig.preset("tiny"));
            assertThat(f.tokenizer()).isSameAs(ByteTokenizer.INSTANCE);
            assertThat(f.metadata()).containsEntry("seed", "3").containsEntry("source", "random");
        }
    }

    @Test
    void random75mCarriesTheR50kTokenizer() throws Exception {
        Path file = dir.resolve("75m.bit2");
        assertThat(run("random", "--preset", "75m", "--out", file.toString())).isEqualTo(0);
        try (Bit2File f = Bit2File.open(file)) {
            f.requireModelLayout();
            assertThat(f.config()).isEqualTo(ModelConfig.preset("75m"));
            Gpt2Tokenizer t = (Gpt2Tokenizer) f.tokenizer();
            assertThat(t.encode("Hello world")).containsExactly(15496, 995);
            assertThat(t.endOfText()).hasValue(50256);
            assertThat(f.metadata()).containsEntry("seed", "1");
        }
    }

    @Test
    void unknownPresetIsAUsageError() {
        assertThat(run("random", "--preset", "huge", "--out", dir.resolve("x.bit2").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown preset 'huge' (expected one of [tiny, 75m, 300m])")
                .doesNotContain("Exception");
        assertThat(dir.resolve("x.bit2")).doesNotExist();
    }

    @Test
    void missingOptionsAndBadSeedAreUsageErrors() {
        assertThat(run("random", "--preset", "tiny")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=FILE'");
        assertThat(run("random", "--preset", "tiny", "--seed", "abc", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not a long");
        assertThat(run("nonsense")).isEqualTo(2);
    }

    @Test
    void aMissingOutputDirectoryIsOneLineNamingIt() {
        Path file = dir.resolve("no/such/dir/m.bit2");
        assertThat(run("random", "--preset", "tiny", "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("bitnet random: --out: directory " + file.getParent().toAbsolutePath()
                + " does not exist" + System.lineSeparator());
    }

    @Test
    void errorsAreOneLineNamingTheCommandAndVersionIsTheProjects() {
        assertThat(run("random", "--preset", "huge", "--out", dir.resolve("x.bit2").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("bitnet random: --preset: unknown preset 'huge' (expected one of"
                + " [tiny, 75m, 300m])" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("random", "--preset", "tiny", "--seed", "abc", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("bitnet random: Invalid value for option '--seed': 'abc' is not a long"
                + " (see bitnet random --help)" + System.lineSeparator());
        for (String command : new String[] {"random", "compact"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--version")).isZero();
            assertThat(out.toString().strip()).isEqualTo(dev.bitnet.core.Version.line());
        }
    }

    @Test
    void aDirectoryAsOutputIsAUsageError() throws Exception {
        Path taken = Files.createDirectory(dir.resolve("taken.bit2"));
        assertThat(run("random", "--preset", "tiny", "--out", taken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out: " + taken + " is a directory").doesNotContain("Exception");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("taken.bit2");
        }
    }
}
