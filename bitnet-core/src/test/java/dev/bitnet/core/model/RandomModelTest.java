package dev.bitnet.core.model;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.DType;
import dev.bitnet.core.format.R50kTokenizer;
import dev.bitnet.core.format.TensorInfo;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class RandomModelTest {

    @TempDir
    Path dir;

    /** A preset's shapes with the bytes tokenizer (V = 256). */
    static ModelConfig bytesShape(String preset) {
        ModelConfig p = ModelConfig.preset(preset);
        return new ModelConfig(256, p.dModel(), p.nLayers(), p.nHeads(), p.dFf(), p.context(), TokenizerKind.BYTES);
    }

    @Test
    void tinyHasTheFullLayoutAndMetadata() throws Exception {
        ModelConfig c = ModelConfig.preset("tiny");
        Path file = dir.resolve("tiny.bit2");
        RandomModel.write(c, ByteTokenizer.INSTANCE, 42, file);
        try (Bit2File f = Bit2File.open(file)) {
            f.requireModelLayout();
            assertThat(f.config()).isEqualTo(c);
            assertThat(f.tensors()).extracting(TensorInfo::name)
                    .containsExactlyElementsOf(ModelLayout.tensors(c).stream().map(TensorSpec::name).toList());
            assertThat(f.metadata()).containsEntry("source", "random").containsEntry("seed", "42");
            assertThat(Instant.parse(f.metadata().get("created"))).isBefore(Instant.now().plusSeconds(1));
            assertThat(f.floats(ModelLayout.ALIBI_SLOPES)).containsExactly(BitMath.alibiSlopes(4));
            assertThat(f.floats(ModelLayout.HEAD_ALPHA)).containsOnly(BitMath.invSqrt(256));
        }
    }

    @Test
    void oneOpenFileServesManyThreads() throws Exception {
        ModelConfig c = ModelConfig.preset("tiny");
        Path file = dir.resolve("shared.bit2");
        RandomModel.write(c, ByteTokenizer.INSTANCE, 9, file);
        try (Bit2File f = Bit2File.open(file); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Long>> sums = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sums.add(pool.submit(() -> checksum(f)));
            }
            long expected = checksum(f);
            for (Future<Long> s : sums) {
                assertThat(s.get()).isEqualTo(expected);
            }
        }
    }

    /** Reads every tensor through the shared mapping (a confined arena would fail here from other threads). */
    private static long checksum(Bit2File f) throws Exception {
        long sum = 0;
        for (TensorInfo t : f.tensors()) {
            MemorySegment s = f.segment(t.name());
            for (long i = 0; i + 8 <= s.byteSize(); i += 8) {
                sum = sum * 31 + s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            }
        }
        return sum;
    }

    @Test
    void sameSeedSameTensorsOtherSeedOtherTensors() throws Exception {
        ModelConfig c = ModelConfig.preset("tiny");
        RandomModel.write(c, ByteTokenizer.INSTANCE, 7, dir.resolve("a.bit2"));
        RandomModel.write(c, ByteTokenizer.INSTANCE, 7, dir.resolve("b.bit2"));
        RandomModel.write(c, ByteTokenizer.INSTANCE, 8, dir.resolve("c.bit2"));
        try (Bit2File a = Bit2File.open(dir.resolve("a.bit2"));
             Bit2File b = Bit2File.open(dir.resolve("b.bit2"));
             Bit2File d = Bit2File.open(dir.resolve("c.bit2"))) {
            for (TensorInfo t : a.tensors()) {
                assertThat(b.info(t.name()).crc32c()).as(t.name()).isEqualTo(t.crc32c());
            }
            assertThat(d.info("embedding.bits").crc32c()).isNotEqualTo(a.info("embedding.bits").crc32c());
        }
    }

    @Test
    void binaryOutputsAreRoughlyBalancedAndRangesValid() throws Exception {
        ModelConfig c = ModelConfig.preset("tiny");
        Path file = dir.resolve("t.bit2");
        RandomModel.write(c, ByteTokenizer.INSTANCE, 3, file);
        SplittableRandom rnd = new SplittableRandom(99);
        try (Bit2File f = Bit2File.open(file)) {
            for (int l = 0; l < c.nLayers(); l++) {
                for (String m : ModelLayout.BINARY_LAYERS) {
                    int in = ModelLayout.inputWidth(c, m);
                    long[] w = f.longs(ModelLayout.tensor(l, m, "bits"));
                    int[] range = f.ints(ModelLayout.tensor(l, m, "range"));
                    int rows = range.length / 2;
                    int words = in / 64;
                    long on = 0;
                    long total = 0;
                    int reversed = 0;
                    for (int o = 0; o < rows; o++) {
                        int lo = range[2 * o];
                        int hi = range[2 * o + 1];
                        assertThat(lo > hi || (lo >= -in && hi <= in)).as("range %d..%d", lo, hi).isTrue();
                        if (lo == -in && hi < in) {
                            reversed++;
                        }
                        for (int trial = 0; trial < 8; trial++) {
                            int mismatches = 0;
                            for (int k = 0; k < words; k++) {
                                mismatches += Long.bitCount(rnd.nextLong() ^ w[o * words + k]);
                            }
                            int s = in - 2 * mismatches;
                            on += lo <= s && s <= hi ? 1 : 0;
                            total++;
                        }
                    }
                    assertThat((double) on / total).as("layer %d %s", l, m).isBetween(0.35, 0.65);
                    if (m.equals("ffn.gate")) {
                        assertThat(reversed).as("negative alphas in %d %s", l, m).isBetween(1, rows / 10);
                    }
                }
            }
        }
    }

    @Test
    void normGainsHaveNegativesAndOneZero() throws Exception {
        ModelConfig c = ModelConfig.preset("tiny");
        Path file = dir.resolve("g.bit2");
        RandomModel.write(c, ByteTokenizer.INSTANCE, 5, file);
        try (Bit2File f = Bit2File.open(file)) {
            for (TensorInfo t : f.tensors()) {
                if (t.name().endsWith(".gamma")) {
                    float[] g = f.floats(t.name());
                    long negative = 0;
                    long zero = 0;
                    for (float v : g) {
                        negative += v < 0 ? 1 : 0;
                        zero += v == 0 ? 1 : 0;
                    }
                    assertThat(zero).as(t.name()).isEqualTo(1);
                    assertThat(negative).as(t.name()).isBetween(1L, (long) (g.length * 0.08));
                }
            }
        }
    }

    @Test
    void gpt2PresetsRoundTripWithTheirTokenizer() throws Exception {
        Gpt2Tokenizer r50k = R50kTokenizer.get();
        String text = "Four score and seven years ago, naïve café — 東京 🎉<|endoftext|>";
        for (String preset : new String[] {"75m", "300m"}) {
            ModelConfig c = ModelConfig.preset(preset);
            Path file = dir.resolve(preset + ".bit2");
            RandomModel.write(c, r50k, 1, file);
            try (Bit2File f = Bit2File.open(file)) {
                f.requireModelLayout();
                assertThat(f.config()).isEqualTo(c);
                assertThat(f.dataVerified()).isTrue();
                Gpt2Tokenizer back = (Gpt2Tokenizer) f.tokenizer();
                assertThat(back.vocabSize()).isEqualTo(50257);
                assertThat(back.specialTokens()).isEqualTo(Map.of("<|endoftext|>", 50256));
                assertThat(back.endOfText()).hasValue(50256);
                assertThat(back.mergeableRanks()).containsExactlyElementsOf(r50k.mergeableRanks());
                assertThat(back.encode(text)).containsExactly(r50k.encode(text));
                long bits = 0;
                for (TensorInfo t : f.tensors()) {
                    bits += t.dtype() == DType.BITS ? t.length() * 8 : 0;
                }
                assertThat(bits).as("bits stored").isGreaterThan(c.parameterCount() * 9 / 10);
            }
            Files.delete(file);
        }
    }

    @Test
    void presetShapesWithBytesTokenizerRoundTrip() throws Exception {
        for (String preset : new String[] {"75m", "300m"}) {
            ModelConfig c = bytesShape(preset);
            Path file = dir.resolve(preset + "-bytes.bit2");
            RandomModel.write(c, ByteTokenizer.INSTANCE, 1, file);
            try (Bit2File f = Bit2File.open(file)) {
                f.requireModelLayout();
                assertThat(f.config()).isEqualTo(c);
            }
            Files.delete(file);
        }
    }
}
