package dev.bitnet.compact.verify;

import dev.bitnet.compact.RandomCheckpoints;
import dev.bitnet.compact.export.ExportResult;
import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import dev.bitnet.train.checkpoint.Checkpoint;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity on random, perturbed models of the GPT-2 preset shapes. A DJL forward of these shapes
 * costs seconds per window on a shared CPU, so CI compares 2 windows of 128 positions and 4
 * greedy tokens (the command line's {@code --verify} does 2 x 1024 and 64). The 300m shape keeps
 * every width (V, d = 1024, H = 16 with its non-power-of-two ALiBi slopes, F = 4096) but only
 * 2 of its 16 layers, to stay within the test budget in time and memory.
 */
final class PresetShapeParity {

    static final ParityOptions CI = new ParityOptions(128, 2, 8, 4);

    private PresetShapeParity() {
    }

    /** Writes a random perturbed checkpoint of {@code config}, exports it and checks parity. */
    static void check(ModelConfig config, Path dir) throws Exception {
        long t0 = System.nanoTime();
        Checkpoint c = Checkpoint.read(RandomCheckpoints.write(dir.resolve("ckpt"), config, 5, true));
        long t1 = System.nanoTime();
        Path model = dir.resolve("m.bit2");
        ExportResult r = Exporter.export(c, model, Instant.now());
        try (Bit2File f = Bit2File.open(model)) {
            assertThat(f.tokenizer()).isInstanceOf(Gpt2Tokenizer.class);
            assertThat(f.tokenizer().vocabSize()).isEqualTo(50257);
        }
        ParityReport p = ParityVerifier.verify(c, model, VerifyText.read(null), CI);
        System.out.printf("%s: random checkpoint %.1f s; export %.1f s, params.bin %,d bytes, .bit2 %,d bytes, ratio %.2f; %s%n",
                config, (t1 - t0) / 1e9, r.millis() / 1e3, r.checkpointBytes(), r.modelBytes(), r.ratio(), p.summary());
        assertThat(p.mismatch()).isNull();
        assertThat(p.positions()).isEqualTo(256);
        assertThat(p.greedyTokens()).isEqualTo(4);
    }
}
