package dev.bitnet.core.format;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Bit2RoundTripTest {

    static final ModelConfig SMALL = new ModelConfig(256, 8, 1, 2, 16, 8, TokenizerKind.BYTES);

    @TempDir
    Path dir;

    @Test
    void everyDtypeRoundTripsExactly() throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        int rows = 3;
        int cols = 70; // two words per row, 58 padding bits
        long[] bits = new long[rows * 2];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = rnd.nextLong() & (i % 2 == 1 ? BitPacking.lastWordMask(cols) : -1L);
        }
        float[] floats = {0f, -0f, 1.5f, Float.NaN, Float.intBitsToFloat(0x7fc00123), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE, 3.25e-7f, 42f, -1f};
        int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 12345, -999, 7};
        Path file = dir.resolve("all.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE)
                .putMetadata("step", "1200")
                .putMetadata("note", "ünïcødé ✓ 𝄞")
                .putMetadata("empty", "")
                .addBits("m.bits", rows, cols, bits)
                .addF32("f", floats, 3, 4)
                .addI32("i", ints, 2, 2, 2)
                .write(file);

        try (Bit2File f = Bit2File.open(file)) {
            assertThat(f.dataVerified()).isTrue();
            assertThat(f.formatVersion()).isEqualTo(1);
            assertThat(f.path()).isEqualTo(file);
            assertThat(f.config()).isEqualTo(SMALL);
            assertThat(f.tokenizer()).isSameAs(ByteTokenizer.INSTANCE);
            assertThat(f.metadata()).containsExactly(
                    java.util.Map.entry("step", "1200"), java.util.Map.entry("note", "ünïcødé ✓ 𝄞"),
                    java.util.Map.entry("empty", ""));
            assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("m.bits", "f", "i");
            assertThat(f.info("m.bits").shape()).containsExactly(rows, cols);
            assertThat(f.info("m.bits").dtype()).isEqualTo(DType.BITS);
            assertThat(f.info("m.bits").length()).isEqualTo(48);
            assertThat(f.info("f").shape()).containsExactly(3, 4);
            assertThat(f.info("i").shape()).containsExactly(2, 2, 2);
            assertThat(f.longs("m.bits")).containsExactly(bits);
            float[] back = f.floats("f");
            for (int i = 0; i < floats.length; i++) {
                assertThat(Float.floatToRawIntBits(back[i])).as("float %d", i).isEqualTo(Float.floatToRawIntBits(floats[i]));
            }
            assertThat(f.ints("i")).containsExactly(ints);
            for (TensorInfo t : f.tensors()) {
                MemorySegment s = f.segment(t.name());
                assertThat(t.offset() % 64).isZero();
                assertThat(s.address() % 64).as("address of %s", t.name()).isZero();
                assertThat(s.isReadOnly()).isTrue();
                assertThat(s.byteSize()).isEqualTo(t.length());
            }
            assertThat(f.segment("i").get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0); // MIN_VALUE, little-endian
            assertThat(f.segment("i").get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 0x80);
        }
        try (Bit2File f = Bit2File.open(file, false)) {
            assertThat(f.dataVerified()).isFalse();
            assertThat(f.ints("i")).containsExactly(ints);
        }
    }

    @Test
    void gpt2TokenizerTableRoundTrips() throws Exception {
        ModelConfig c = new ModelConfig(50257, 64, 1, 1, 64, 16, TokenizerKind.GPT2);
        Path file = dir.resolve("g.bit2");
        new Bit2Writer(c, R50kTokenizer.get()).addI32("x", new int[] {5}, 1).write(file);
        try (Bit2File f = Bit2File.open(file)) {
            Gpt2Tokenizer t = (Gpt2Tokenizer) f.tokenizer();
            assertThat(t.mergeableRanks()).containsExactlyElementsOf(R50kTokenizer.get().mergeableRanks());
            assertThat(t.specialTokens()).isEqualTo(R50kTokenizer.get().specialTokens());
            assertThat(t.decode(t.encode("hello world ✓"))).isEqualTo("hello world ✓");
            assertThat(f.info("x").offset() % 64).isZero();
        }
    }

    /** The worked example of docs/bit2-format.md, byte for byte: the page cannot silently go stale. */
    @Test
    void documentedExampleIsByteExact() throws Exception {
        Path file = dir.resolve("example.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE)
                .putMetadata("source", "example")
                .addBits("w.bits", 2, 8, new long[] {0xA5L, 0x0FL})
                .addF32("w.alpha", new float[] {1.0f, -2.0f}, 2)
                .write(file);
        String expected = ""
            + "424954320d0a1a0a0100000001000000ef000000000000004801000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "0001000008000000010000000200000010000000080000000500000062797465"
            + "7300000000000000000100000006000000736f75726365070000006578616d70"
            + "6c650200000006000000772e6269747301000000020000000200000000000000"
            + "080000000000000000010000000000001000000000000000a72e675307000000"
            + "772e616c70686102000000010000000200000000000000400100000000000008"
            + "00000000000000c9f236aa168287bc0000000000000000000000000000000000"
            + "a5000000000000000f0000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "0000803f000000c0";
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo(expected);
        // The CRC the page specifies, by its check value.
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void mapsFilesBeyondTwoGigabytes() throws Exception {
        // A 12 GB f32 tensor [3, 1e9] in a sparse file: only the pages touched are ever read.
        Path file = dir.resolve("big.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).addF32("big", new float[3], 3, 1).write(file);
        byte[] b = Files.readAllBytes(file);
        int entry = Bit2Bytes.entry(b, "big");
        long offset = Bit2Bytes.u64(b, entry + 24);
        long length = 12_000_000_000L;
        Bit2Bytes.putU64(b, entry + 16, 1_000_000_000L);
        Bit2Bytes.putU64(b, entry + 32, length);
        Bit2Bytes.reseal(b, offset + length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b, 0, (int) offset), 0);
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, (byte) 0xc0, 0x3f}), offset + length - 4); // 1.5f, last
        }
        try (Bit2File f = Bit2File.open(file, false)) {
            MemorySegment s = f.segment("big");
            assertThat(s.byteSize()).isEqualTo(length);
            assertThat(s.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), length - 4)).isEqualTo(1.5f);
            assertThat(s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, length / 2)).isEqualTo(0f);
            assertThatThrownBy(() -> f.floats("big")).isInstanceOf(Bit2FormatException.class)
                    .hasMessageContaining("too large for a Java array; use segment()");
        }
    }

    @Test
    void emptyFileWithoutTensorsOrMetadataRoundTrips() throws Exception {
        Path file = dir.resolve("empty.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).write(file);
        try (Bit2File f = Bit2File.open(file)) {
            assertThat(f.tensors()).isEmpty();
            assertThat(f.metadata()).isEmpty();
            assertThat(f.config()).isEqualTo(SMALL);
        }
    }

    @Test
    void accessorsNameTheProblem() throws Exception {
        Path file = dir.resolve("a.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).addF32("f", new float[] {1f}, 1).write(file);
        try (Bit2File f = Bit2File.open(file)) {
            assertThatThrownBy(() -> f.ints("f")).isInstanceOf(Bit2FormatException.class)
                    .hasMessageContaining("a.bit2").hasMessageContaining("tensor 'f'").hasMessageContaining("F32");
            assertThatThrownBy(() -> f.info("nope")).isInstanceOf(Bit2FormatException.class)
                    .hasMessageContaining("no tensor named 'nope'");
            assertThatThrownBy(() -> f.segment("nope")).isInstanceOf(Bit2FormatException.class);
        }
        assertThatThrownBy(() -> Bit2File.open(dir)).isInstanceOf(Bit2FormatException.class)
                .hasMessageStartingWith(dir + ": file: ");
    }

    @Test
    void closeReleasesTheMapping() throws Exception {
        Path file = dir.resolve("c.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).addF32("f", new float[] {1f, 2f}, 2).write(file);
        Bit2File f = Bit2File.open(file);
        MemorySegment s = f.segment("f");
        assertThat(s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4)).isEqualTo(2f);
        f.close();
        f.close(); // idempotent
        assertThatThrownBy(() -> s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writerRejectsInvalidTensors() {
        Bit2Writer w = new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).addF32("x", new float[6], 2, 3);
        assertThatThrownBy(() -> w.addF32("x", new float[1], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate tensor 'x'");
        assertThatThrownBy(() -> w.addF32("y", new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3] has 6 elements, data has 5");
        assertThatThrownBy(() -> w.addI32("y", new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank");
        assertThatThrownBy(() -> w.addI32("y", new int[0], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> w.addBits("b", 2, 70, new long[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 4 words, got 3");
        assertThatThrownBy(() -> w.addBits("b", 1, 70, new long[] {0, 1L << 6})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding bits of row 0");
        assertThatThrownBy(() -> w.addF32("", new float[1], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.putMetadata("k", "\ud800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bit2Writer(ModelConfig.preset("75m"), ByteTokenizer.INSTANCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }

    @Test
    void writeReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("r.bit2");
        Files.writeString(file, "old content");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).putMetadata("k", "v").write(file);
        try (Bit2File f = Bit2File.open(file)) {
            assertThat(f.metadata()).containsEntry("k", "v");
        }
        assertThat(listing()).containsExactly("r.bit2");
        // The model file gets the permissions of any new file (the umask's), not a temp file's 0600.
        Path reference = Files.createFile(dir.resolve("reference"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(reference));
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).write(dir.resolve("new.bit2"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("new.bit2"))).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void failedWriteLeavesNoFileAndNoTempFile() throws Exception {
        // The target is a non-empty directory: everything is written, then the final move fails.
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        Bit2Writer w = new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).addF32("f", new float[1000], 1000);
        assertThatThrownBy(() -> w.write(target)).isInstanceOf(Bit2FormatException.class)
                .hasMessageContaining("taken").hasMessageContaining("write");
        assertThat(listing()).containsExactly("taken");
        assertThat(Files.isDirectory(target)).isTrue();

        Path noDir = dir.resolve("missing/dir/m.bit2");
        assertThatThrownBy(() -> w.write(noDir)).isInstanceOf(Bit2FormatException.class)
                .hasMessage(noDir + ": write: directory " + noDir.getParent() + " does not exist");
        assertThat(listing()).containsExactly("taken");
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
