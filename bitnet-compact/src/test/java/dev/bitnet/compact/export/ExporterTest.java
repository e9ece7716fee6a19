package dev.bitnet.compact.export;

import dev.bitnet.compact.RandomCheckpoints;
import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.FloatTensor;
import dev.bitnet.train.checkpoint.TensorFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExporterTest {

    // V=256, d=64, L=2, H=2, F=96 (not a multiple of 64: padded rows), T=32.
    static final ModelConfig SMALL = new ModelConfig(256, 64, 2, 2, 96, 32, TokenizerKind.BYTES);

    @TempDir
    static Path shared;
    static Checkpoint checkpoint;

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        checkpoint = Checkpoint.read(RandomCheckpoints.write(shared.resolve("ckpt"), SMALL, 7, true));
    }

    @Test
    void bitsAreTheSignsAndRangesHoldExactlyTheProductsWhoseSpecExpressionIsNonNegative(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.bit2");
        Instant created = Instant.parse("2026-11-26T10:00:00.123Z");
        ExportResult r = Exporter.export(checkpoint, out, created);
        Map<String, FloatTensor> p = checkpoint.params();
        int boundaryRows = 0;
        try (Bit2File f = Bit2File.open(out)) {
            f.requireModelLayout();
            assertThat(f.config()).isEqualTo(SMALL);
            assertThat(f.tokenizer()).isSameAs(ByteTokenizer.INSTANCE);
            // Signs: w >= 0 (including -0.0) is bit 1, everywhere, padding included.
            long[] emb = f.longs(ModelLayout.EMBEDDING_BITS);
            float[] e = p.get("embedding.weight").data();
            for (int i = 0; i < e.length; i++) {
                assertThat(BitPacking.bit(emb, (i / 64) * BitPacking.words(64), i % 64)).isEqualTo(e[i] >= 0f);
            }
            long[] down = f.longs(ModelLayout.tensor(1, "ffn.down", "bits"));
            float[] wd = p.get("layers.1.ffn.down.weight").data();
            int words = BitPacking.words(96);
            for (int row = 0; row < 64; row++) {
                for (int col = 0; col < 96; col++) {
                    assertThat(BitPacking.bit(down, row * words, col)).isEqualTo(wd[row * 96 + col] >= 0f);
                }
                assertThat(down[row * words + words - 1] & ~BitPacking.lastWordMask(96)).isZero();
            }
            // Ranges: for every row and every attainable s, in range <=> the float32 expression is >= 0.
            for (int l = 0; l < SMALL.nLayers(); l++) {
                for (String m : ModelLayout.BINARY_LAYERS) {
                    String module = ModelLayout.tensor(l, m, "");
                    int[] range = f.ints(module + "range");
                    float[] alpha = p.get(module + "alpha").data();
                    float[] theta = p.get(module + "theta").data();
                    int in = 64;
                    float c = (float) (1.0 / Math.sqrt(in));
                    for (int o = 0; o < alpha.length; o++) {
                        for (int s = -in; s <= in; s += 2) {
                            float u = (float) s * c;
                            float y = u * alpha[o];
                            boolean on = y - theta[o] >= 0f;
                            assertThat(range[2 * o] <= s && s <= range[2 * o + 1]).as("%s row %d s %d", module, o, s)
                                    .isEqualTo(on);
                            if (y == theta[o]) {
                                boundaryRows++;
                            }
                        }
                    }
                }
            }
            // Floats are copied bit for bit; slopes come from BitMath.
            assertThat(f.floats("layers.0.attn_norm.gamma")).containsExactly(p.get("layers.0.attn_norm.gamma").data());
            assertThat(f.floats("layers.1.attn.o.alpha")).containsExactly(p.get("layers.1.attn.o.alpha").data());
            assertThat(f.floats("layers.1.ffn.down.bias")).containsExactly(p.get("layers.1.ffn.down.bias").data());
            assertThat(f.floats(ModelLayout.HEAD_BIAS)).containsExactly(p.get("head.bias").data());
            assertThat(f.floats(ModelLayout.EMBEDDING_SCALE)).containsExactly(p.get("embedding.scale").data());
            assertThat(f.floats(ModelLayout.ALIBI_SLOPES)).containsExactly(BitMath.alibiSlopes(2));
            assertThat(f.metadata())
                    .containsEntry("source", checkpoint.dir().getParent().getFileName() + "/" + checkpoint.dir().getFileName())
                    .containsEntry("source_sha256", r.sha256())
                    .containsEntry("step", "0")
                    .containsEntry("created", "2026-11-26T10:00:00Z")
                    .containsEntry("tool", Exporter.TOOL)
                    .doesNotContainKey("data"); // this checkpoint records no data provenance
        }
        assertThat(boundaryRows).as("a theta exactly on an attainable product").isPositive();
        assertThat(r.sha256()).hasSize(64).isEqualTo(Exporter.sha256(checkpoint.dir().resolve(Exporter.PARAMS_FILE)));
        assertThat(r.modelBytes()).isEqualTo(Files.size(out));
        assertThat(r.checkpointBytes()).isEqualTo(Files.size(checkpoint.dir().resolve("params.bin")));
        assertThat(r.ratio()).isGreaterThan(10);
    }

    @Test
    void nonFiniteParameterIsNamedWithItsIndexAndNothingIsWritten(@TempDir Path dir) throws Exception {
        SequencedMap<String, FloatTensor> params = new LinkedHashMap<>(checkpoint.params());
        float[] w = params.get("layers.1.ffn.gate.weight").data().clone();
        w[3 * 64 + 5] = Float.NaN;
        params.put("layers.1.ffn.gate.weight", new FloatTensor(new long[] {96, 64}, w));
        Checkpoint bad = copy(dir, params);
        Path out = dir.resolve("m.bit2");
        assertThatThrownBy(() -> Exporter.export(bad, out, Instant.now())).isInstanceOf(ExportException.class)
                .hasMessageContaining("'layers.1.ffn.gate.weight'").hasMessageContaining("NaN")
                .hasMessageContaining("[3, 5]");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingExtraAndMisShapedTensorsAreNamed(@TempDir Path dir) throws Exception {
        SequencedMap<String, FloatTensor> missing = new LinkedHashMap<>(checkpoint.params());
        missing.remove("layers.0.ffn.up.theta");
        assertThatThrownBy(() -> Exporter.export(copy(dir.resolve("a"), missing), dir.resolve("a.bit2"), Instant.now()))
                .isInstanceOf(ExportException.class).hasMessageContaining("'layers.0.ffn.up.theta' is missing");

        SequencedMap<String, FloatTensor> extra = new LinkedHashMap<>(checkpoint.params());
        extra.put("layers.0.attn.rope", new FloatTensor(new long[] {2}, new float[2]));
        assertThatThrownBy(() -> Exporter.export(copy(dir.resolve("b"), extra), dir.resolve("b.bit2"), Instant.now()))
                .isInstanceOf(ExportException.class).hasMessageContaining("layers.0.attn.rope");

        SequencedMap<String, FloatTensor> shape = new LinkedHashMap<>(checkpoint.params());
        shape.put("head.bias", new FloatTensor(new long[] {255}, new float[255]));
        assertThatThrownBy(() -> Exporter.export(copy(dir.resolve("c"), shape), dir.resolve("c.bit2"), Instant.now()))
                .isInstanceOf(ExportException.class).hasMessageContaining("'head.bias' has shape [255], expected [256]");
        assertThat(dir.resolve("a.bit2")).doesNotExist();
        assertThat(dir.resolve("b.bit2")).doesNotExist();
        assertThat(dir.resolve("c.bit2")).doesNotExist();
    }

    @Test
    void theDataTheCheckpointWasTrainedOnBecomesTheDataEntry(@TempDir Path dir) throws Exception {
        // checkpoint.json as the trainer writes it for --data kjv.txt moby_dick.txt --val sotu_tail1.txt.
        Path ckpt = Files.createDirectories(dir.resolve("trained"));
        JsonObject json = JsonParser.parseString(Files.readString(checkpoint.dir().resolve("checkpoint.json")))
                .getAsJsonObject();
        JsonObject data = JsonParser.parseString("{\"train\": [\"kjv.txt\", \"moby_dick.txt\"], "
                + "\"validation\": [\"sotu_tail1.txt\"], \"train_tokens\": 43278871, \"val_tokens\": 137437}")
                .getAsJsonObject();
        json.add("data", data);
        Files.writeString(ckpt.resolve("checkpoint.json"), json.toString());
        Files.copy(checkpoint.dir().resolve("params.bin"), ckpt.resolve("params.bin"));
        Path out = dir.resolve("m.bit2");
        Exporter.export(Exporter.read(ckpt), out, Instant.now());
        try (Bit2File f = Bit2File.open(out)) {
            assertThat(f.metadata()).containsEntry("data",
                    "train: kjv.txt, moby_dick.txt (43,278,871 tokens); validation: sotu_tail1.txt (137,437 tokens)");
        }
    }

    /** The checkpoint with other parameters, as a real directory (the hash reads params.bin). */
    private static Checkpoint copy(Path dir, SequencedMap<String, FloatTensor> params) throws IOException {
        Files.createDirectories(dir);
        Files.copy(checkpoint.dir().resolve("checkpoint.json"), dir.resolve("checkpoint.json"));
        TensorFile.write(dir.resolve("params.bin"), params);
        return new Checkpoint(dir, checkpoint.meta(), params);
    }
}
