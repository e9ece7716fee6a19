package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.model.ModelLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading: what the model reports, and clear errors for files the engine cannot run. */
class ModelLoadTest {

    private static final ModelConfig SMALL = new ModelConfig(256, 128, 2, 4, 256, 32, TokenizerKind.BYTES);

    @TempDir
    Path dir;

    @Test
    void loadedModelDescribesItself() throws Exception {
        Path file = TestModels.random(SMALL, 1, dir);
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().threads(3).attentionWindow(100).build())) {
            assertThat(m.config()).isEqualTo(SMALL);
            assertThat(m.tokenizer().vocabSize()).isEqualTo(256);
            assertThat(m.metadata()).containsEntry("source", "random");
            assertThat(m.checksumsVerified()).isTrue();
            assertThat(m.attentionWindow()).isEqualTo(100);
            assertThat(m.path()).isEqualTo(file);
            try (Session s = m.newSession()) {
                assertThat(s.threads()).isEqualTo(3);
                assertThat(s.position()).isZero();
            }
        }
        try (BitNetModel m = BitNetModel.load(file)) {
            assertThat(m.attentionWindow()).isEqualTo(SMALL.context());
        }
    }

    @Test
    void nonFiniteAlibiSlopeIsRejectedAtLoad() throws Exception {
        Path src = TestModels.random(SMALL, 2, dir);
        Path bad = TestModels.withFloat(src, ModelLayout.ALIBI_SLOPES, 2, Float.NaN, dir.resolve("nan-slope.bit2"));
        assertThatThrownBy(() -> BitNetModel.load(bad))
                .isInstanceOf(Bit2FormatException.class)
                .hasMessage(bad + ": tensor " + ModelLayout.ALIBI_SLOPES + ": slope 2 is not finite: NaN");
    }

    @Test
    void missingAndTruncatedFilesGetFormatErrors() throws Exception {
        Path missing = dir.resolve("none.bit2");
        assertThatThrownBy(() -> BitNetModel.load(missing)).isInstanceOf(Bit2FormatException.class)
                .hasMessageContaining(missing.toString());
        Path src = TestModels.random(SMALL, 3, dir);
        Path cut = dir.resolve("cut.bit2");
        byte[] b = Files.readAllBytes(src);
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> BitNetModel.load(cut)).isInstanceOf(Bit2FormatException.class)
                .hasMessageContaining(cut.toString());
    }
}
