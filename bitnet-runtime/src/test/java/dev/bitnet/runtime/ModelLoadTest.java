package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.Bit2Limits;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading: what the model reports, clear errors for files the engine cannot run or that exceed a
 * limit, and the contract that a loaded model's file does not change.
 */
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
    void nonFiniteFloatsAreRejectedAtLoad() throws Exception {
        // A NaN head bias used to load, crash sampling (index -1) and make eval print NaN.
        Path src = TestModels.random(SMALL, 2, dir);
        Object[][] cases = {
            {ModelLayout.HEAD_BIAS, 65, Float.NaN},
            {ModelLayout.HEAD_ALPHA, 0, Float.POSITIVE_INFINITY},
            {ModelLayout.EMBEDDING_SCALE, 127, Float.NEGATIVE_INFINITY},
            {ModelLayout.ALIBI_SLOPES, 2, Float.NaN},
            {ModelLayout.NORM_OUT_GAMMA, 3, Float.NaN},
            {ModelLayout.tensor(1, "attn_norm", "gamma"), 5, Float.NaN},
            {ModelLayout.tensor(0, "attn.o", "alpha"), 9, Float.NaN},
            {ModelLayout.tensor(1, "ffn.down", "bias"), 100, Float.POSITIVE_INFINITY},
        };
        for (Object[] c : cases) {
            String name = (String) c[0];
            Path bad = TestModels.withFloat(src, name, (int) c[1], (float) c[2], dir.resolve("bad-" + name + ".bit2"));
            assertThatThrownBy(() -> BitNetModel.load(bad)).as(name)
                    .isInstanceOf(Bit2FormatException.class)
                    .hasMessage(bad + ": tensor " + name + ": value " + c[1] + " is not finite: " + c[2]);
        }
    }

    @Test
    void aHeadThatCanGiveAnInfiniteLogitIsRejected() throws Exception {
        Path src = TestModels.random(SMALL, 4, dir);
        Path bad = TestModels.withFloat(src, ModelLayout.HEAD_ALPHA, 7, 3e38f, dir.resolve("overflow.bit2"));
        assertThatThrownBy(() -> BitNetModel.load(bad)).isInstanceOf(Bit2FormatException.class)
                .hasMessageStartingWith(bad + ": tensor head.alpha: token 7: alpha 3.0E38 and bias ")
                .hasMessageEndingWith(" give the logit -Infinity for the product -128 (the logits must be finite)");
        // Just inside float range: it loads, samples and scores without NaN.
        Path edge = TestModels.withFloat(src, ModelLayout.HEAD_ALPHA, 7, 2e37f, dir.resolve("edge.bit2"));
        try (BitNetModel m = BitNetModel.load(edge); Session s = m.newSession(1)) {
            GenerationResult r = s.generate("abc", GenerationOptions.builder().seed(1).maxTokens(20).build(),
                    GenerationListener.NONE);
            assertThat(r.generatedTokens()).isEqualTo(20);
            for (double lp : s.logProbs(TestModels.tokens(50, 256, 5))) {
                assertThat(lp).isNotNaN().isLessThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aSessionMustFitTheMemoryLimitBeforeAnythingIsAllocated() throws Exception {
        // d_ff = 2^20 in a 42 MB file: every session allocated 768 MiB of mismatch counts.
        ModelConfig wide = new ModelConfig(256, 64, 1, 1, 1 << 20, 8, TokenizerKind.BYTES);
        Path file = TestModels.random(wide, 5, dir);
        assertThatThrownBy(() -> BitNetModel.load(file)).isInstanceOf(Bit2FormatException.class)
                .hasMessage(file + ": config: a session of this model (" + wide + ") needs 784.1 MiB at an attention "
                        + "window of 8, more than the limit of 256.0 MiB: raise ModelOptions.maxSessionBytes "
                        + "(--max-session-mb on the command line) to load it");
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().maxSessionBytes(1L << 30).build())) {
            assertThat(m.config()).isEqualTo(wide);
        }
    }

    @Test
    void theLargestWindowLoadsWhereItFitsAndIsRefusedWhereNot() throws Exception {
        // One head of 64 bits: caches of (2^30 + 64) words per layer still fit a Java array. A window
        // near Integer.MAX_VALUE used to overflow window + 64 into a division by zero.
        ModelConfig one = new ModelConfig(256, 64, 1, 1, 64, 8, TokenizerKind.BYTES);
        Path file = TestModels.random(one, 6, dir);
        int huge = ModelOptions.MAX_ATTENTION_WINDOW;
        assertThatThrownBy(() -> BitNetModel.load(file, ModelOptions.builder().attentionWindow(huge).build()))
                .isInstanceOf(Bit2FormatException.class).hasMessageContaining("needs 16384.1 MiB at an attention window of "
                        + huge + ", more than the limit of 256.0 MiB");
        int[] prompt = TestModels.tokens(20, 256, 7);
        float[][] expected;
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().attentionWindow(100).build())) {
            expected = m.logits(prompt);
        }
        ModelOptions unlimited = ModelOptions.builder().attentionWindow(huge).maxSessionBytes(Long.MAX_VALUE).build();
        try (BitNetModel m = BitNetModel.load(file, unlimited); Session s = m.newSession(1)) {
            TestModels.assertBitIdentical("window 2^30", expected, s.logits(prompt));
            assertThat(s.generate(prompt, GenerationOptions.greedy(5), GenerationListener.NONE).generatedTokens()).isEqualTo(5);
        }
        // Four such heads would need 4 x (2^30 + 64) words in one array.
        Path four = TestModels.random(new ModelConfig(256, 256, 1, 4, 64, 8, TokenizerKind.BYTES), 8, dir);
        assertThatThrownBy(() -> BitNetModel.load(four, unlimited)).isInstanceOf(Bit2FormatException.class)
                .hasMessage(four + ": config: attention window " + huge + " is too large for this model: one layer's key "
                        + "cache would hold 4294967552 words, more than a Java array can");
    }

    @Test
    void fileLimitsAndThreadsComeFromTheOptions() throws Exception {
        Path file = TestModels.random(SMALL, 9, dir);   // metadata: source, seed, created
        assertThatThrownBy(() -> BitNetModel.load(file, ModelOptions.builder()
                .fileLimits(new Bit2Limits(2, Bit2Limits.MAX_TENSORS)).build()))
                .isInstanceOf(Bit2FormatException.class)
                .hasMessageContaining("metadata: entry_count: 3 entries, more than the limit of 2 (Bit2Limits.maxMetadataEntries)");
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().fileLimits(new Bit2Limits(3, 42)).build())) {
            int max = ModelOptions.MAX_THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
            assertThatThrownBy(() -> m.newSession(max + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("threads must be at most " + max);
        }
    }

    @Test
    void onlyRegularFilesAreLoaded() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("dir.bit2"));
        assertThatThrownBy(() -> BitNetModel.load(sub)).isInstanceOf(Bit2FormatException.class)
                .hasMessage(sub + ": file: is not a regular file but a directory");
        Path fifo = dir.resolve("fifo.bit2");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        // Opening a FIFO blocks until a writer comes: load must refuse it first.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> BitNetModel.load(fifo)).isInstanceOf(Bit2FormatException.class)
                        .hasMessage(fifo + ": file: is not a regular file but a device, FIFO or socket"));
    }

    @Test
    void aFileTruncatedUnderALoadedModelIsAnIllegalStateException() throws Exception {
        Path file = TestModels.random(SMALL, 10, dir);
        long size = Files.size(file);
        try (BitNetModel m = BitNetModel.load(file); Session s = m.newSession(1)) {
            s.generate("before", GenerationOptions.greedy(3), GenerationListener.NONE);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            // The embedding rows are read from the mapping: the JVM raises InternalError there.
            String message = "model file " + file + " could not be read (" + size + " bytes when loaded, 0 bytes now): "
                    + "a loaded model's file must not be truncated or rewritten";
            assertThatThrownBy(() -> s.generate("after", GenerationOptions.greedy(3), GenerationListener.NONE))
                    .isInstanceOf(IllegalStateException.class).hasMessage(message).hasCauseInstanceOf(InternalError.class);
            assertThatThrownBy(() -> s.logits(new int[] {1, 2})).isInstanceOf(IllegalStateException.class).hasMessage(message);
            assertThatThrownBy(() -> s.logProbs(new int[] {1, 2})).isInstanceOf(IllegalStateException.class).hasMessage(message);
        }
    }

    @Test
    void aFileReplacedByRenameLeavesALoadedModelUnchanged() throws Exception {
        Path file = TestModels.random(SMALL, 11, dir);
        int[] prompt = TestModels.tokens(30, 256, 12);
        try (BitNetModel m = BitNetModel.load(file)) {
            float[][] before = m.logits(prompt);
            RandomModel.write(SMALL, ByteTokenizer.INSTANCE, 99, file);   // another model, written by rename
            TestModels.assertBitIdentical("after the rename", before, m.logits(prompt));
        }
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
