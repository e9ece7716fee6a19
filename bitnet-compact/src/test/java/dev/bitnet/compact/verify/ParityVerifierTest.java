package dev.bitnet.compact.verify;

import dev.bitnet.compact.RandomCheckpoints;
import dev.bitnet.compact.export.ExportException;
import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.FloatTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParityVerifierTest {

    // V=256, d=128, L=3, H=4 (d_head 32: heads share a word), F=160, T=64.
    static final ModelConfig SMALL = new ModelConfig(256, 128, 3, 4, 160, 64, TokenizerKind.BYTES);
    static final ParityOptions OPTIONS = new ParityOptions(64, 4, 8, 24);

    @TempDir
    static Path shared;
    static Checkpoint checkpoint;
    static String text;

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        checkpoint = Checkpoint.read(RandomCheckpoints.write(shared.resolve("ckpt"), SMALL, 11, true));
        text = VerifyText.read(null);
    }

    @Test
    void exportedRandomModelMatchesTheTrainerBitForBit(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.bit2");
        Exporter.export(checkpoint, model, Instant.now());
        ParityReport r = ParityVerifier.verify(checkpoint, model, text, OPTIONS);
        assertThat(r.mismatch()).isNull();
        assertThat(r.passed()).isTrue();
        assertThat(r.positions()).isEqualTo(256);
        assertThat(r.greedyTokens()).isEqualTo(24);
        assertThat(r.summary()).contains("256 positions").contains("24 greedy tokens");
    }

    @Test
    void aChangedBiasIsReportedWithPositionLogitAndTheLayerWhereTheStreamsPart(@TempDir Path dir) throws Exception {
        // Export a model whose layer 1 FFN bias differs in one channel, then check it against the original.
        SequencedMap<String, FloatTensor> params = new LinkedHashMap<>(checkpoint.params());
        float[] bias = params.get("layers.1.ffn.down.bias").data().clone();
        bias[17] += 0.25f;
        params.put("layers.1.ffn.down.bias", new FloatTensor(new long[] {128}, bias));
        Path model = dir.resolve("changed.bit2");
        Exporter.export(new Checkpoint(checkpoint.dir(), checkpoint.meta(), params), model, Instant.now());

        ParityReport r = ParityVerifier.verify(checkpoint, model, text, OPTIONS);
        System.out.println(r.summary());   // what a user sees, in the surefire report
        assertThat(r.passed()).isFalse();
        Mismatch m = r.mismatch();
        assertThat(m.where()).startsWith("window 0");
        assertThat(m.position()).isZero();
        assertThat(Float.floatToRawIntBits(m.trainer())).isNotEqualTo(Float.floatToRawIntBits(m.runtime()));
        assertThat(m.layer()).contains("after layer 1's FFN, position 0: x[17]").contains("(1 of 128 values differ)");
        assertThat(r.summary()).startsWith("parity FAILED: window 0").contains("logit " + m.logitIndex());
    }

    @Test
    void theRuntimesLayerByLayerTraceAgreesWithTheTrainersAtEveryStage(@TempDir Path dir) throws Exception {
        // SMALL's heads share words (d_head 32); ALIGNED's start on word boundaries (d_head 64).
        ModelConfig aligned = new ModelConfig(256, 128, 2, 2, 160, 64, TokenizerKind.BYTES);
        Checkpoint alignedCheckpoint = Checkpoint.read(RandomCheckpoints.write(dir.resolve("aligned"), aligned, 12, true));
        int[] tokens = Arrays.copyOf(ByteTokenizer.INSTANCE.encode(text), 64);
        for (Checkpoint ckpt : List.of(checkpoint, alignedCheckpoint)) {
            Path model = dir.resolve(ckpt.model().dHead() + ".bit2");
            Exporter.export(ckpt, model, Instant.now());
            float[][] trainer;
            try (TrainerForward forward = new TrainerForward(ckpt)) {
                trainer = forward.residuals(tokens);
            }
            for (BitKernels kernels : List.of(Kernels.scalar(), Kernels.preferred())) {
                float[][] runtime = RuntimeResiduals.of(model, kernels, tokens);
                assertThat(ResidualComparison.firstDifference(trainer, runtime, ckpt.model().dModel(), tokens.length - 1))
                        .as("d_head %d, %s kernels", ckpt.model().dHead(), kernels.name())
                        .startsWith("residual streams agree after every layer");
            }
        }
    }

    @Test
    void tooShortATextIsBadInput(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.bit2");
        Exporter.export(checkpoint, model, Instant.now());
        assertThatThrownBy(() -> ParityVerifier.verify(checkpoint, model, "only a few words", OPTIONS))
                .isInstanceOf(ExportException.class).hasMessageContaining("verify text has 16 tokens (bytes tokenizer), the check needs 256");
    }
}
