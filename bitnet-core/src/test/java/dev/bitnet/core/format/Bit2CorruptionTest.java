package dev.bitnet.core.format;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Damaged and hostile files: every truncation, every single-bit flip and many random mutations of
 * a small valid model must be rejected with a {@link Bit2FormatException} (or, for mutations that
 * keep the file valid, open cleanly), never another exception or a hang.
 */
class Bit2CorruptionTest {

    /** Small, with padding bits in every matrix row (d = 8, F = 16) and all sections non-trivial. */
    static final ModelConfig SMALL = new ModelConfig(256, 8, 1, 2, 16, 8, TokenizerKind.BYTES);

    @TempDir
    Path dir;
    Path valid;
    byte[] bytes;

    @BeforeEach
    void writeValidFile() throws IOException {
        valid = dir.resolve("valid.bit2");
        RandomModel.write(SMALL, ByteTokenizer.INSTANCE, 11, valid);
        bytes = Files.readAllBytes(valid);
    }

    /** Parses in-memory bytes exactly as {@link Bit2File#open} parses a mapped file. */
    private Bit2File parse(byte[] b, boolean verify) throws Bit2FormatException {
        return parse(b, verify, Bit2Limits.DEFAULTS);
    }

    private Bit2File parse(byte[] b, boolean verify, Bit2Limits limits) throws Bit2FormatException {
        return Bit2File.parse(dir.resolve("mutant.bit2"), Arena.ofConfined(), MemorySegment.ofArray(b), verify, limits);
    }

    @Test
    void everyTruncationIsRejectedAsTruncated() throws IOException {
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            // Whatever the header says beyond the cut, the file says how much is missing.
            String expected = n < 68
                    ? dir.resolve("mutant.bit2") + ": header: file too short: " + n + " bytes, a .bit2 file has at least 68"
                            + (n > 0 ? " (truncated: it starts like one)" : "")
                    : dir.resolve("mutant.bit2") + ": header: file is " + n + " bytes but its header says " + bytes.length + " (truncated)";
            for (boolean verify : new boolean[] {true, false}) {
                try (Bit2File _ = parse(cut, verify)) {
                    fail("truncated to " + n + " bytes, verify=" + verify + ": opened");
                } catch (Bit2FormatException e) {
                    assertThat(e.getMessage()).as("truncated to %d bytes", n).isEqualTo(expected);
                }
            }
        }
        // The same through real files, at the boundaries that matter.
        Path cut = dir.resolve("cut.bit2");
        int header = Bit2Bytes.headerLength(bytes);
        for (int n : new int[] {0, 1, 8, 63, 64, 67, 68, header - 1, header, header + 1, bytes.length - 1}) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThatThrownBy(() -> Bit2File.open(cut, false)).as("length %d", n)
                    .isInstanceOf(Bit2FormatException.class).hasMessageContaining("cut.bit2")
                    .hasMessageContaining(n == 0 ? "file too short: 0 bytes" : "truncated");
        }
    }

    @Test
    void onlyRegularFilesAreOpened() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("model.bit2"));
        assertThatThrownBy(() -> Bit2File.open(sub)).isInstanceOf(Bit2FormatException.class)
                .hasMessage(sub + ": file: is not a regular file but a directory");
        Path link = Files.createSymbolicLink(dir.resolve("link.bit2"), valid);
        try (Bit2File f = Bit2File.open(link)) {
            assertThat(f.config()).isEqualTo(SMALL);
        }
        Path fifo = dir.resolve("fifo.bit2");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
        // Opening a FIFO for reading blocks until a writer comes: the check must come first.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> Bit2File.open(fifo)).isInstanceOf(Bit2FormatException.class)
                        .hasMessage(fifo + ": file: is not a regular file but a device, FIFO or socket"));
    }

    @Test
    void metadataAndTensorCountsAreLimited() throws IOException {
        Path file = dir.resolve("counts.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE)
                .putMetadata("a", "1").putMetadata("b", "2").putMetadata("c", "3")
                .addF32("x", new float[] {1}, 1).addF32("y", new float[] {2}, 1)
                .write(file);
        byte[] b = Files.readAllBytes(file);
        assertThatThrownBy(() -> parse(b, true, new Bit2Limits(2, 10)))
                .hasMessageContaining("mutant.bit2: metadata: entry_count: 3 entries, more than the limit of 2 "
                        + "(Bit2Limits.maxMetadataEntries)");
        assertThatThrownBy(() -> parse(b, true, new Bit2Limits(3, 1)))
                .hasMessageContaining("mutant.bit2: directory: tensor_count: 2 tensors, more than the limit of 1 "
                        + "(Bit2Limits.maxTensors)");
        try (Bit2File f = Bit2File.open(file, true, new Bit2Limits(3, 2))) {
            assertThat(f.metadata()).hasSize(3);
            assertThat(f.tensors()).hasSize(2);
        }
        assertThatThrownBy(() -> new Bit2Limits(-1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMetadataEntries must be in [0, 1048576], got -1");
        assertThatThrownBy(() -> new Bit2Limits(1, (1 << 20) + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTensors must be in [0, 1048576], got 1048577");
    }

    @Test
    void writerWritesNoMoreEntriesOrTensorsThanTheReaderAccepts() throws IOException {
        Bit2Writer w = new Bit2Writer(SMALL, ByteTokenizer.INSTANCE);
        for (int i = 0; i < Bit2Limits.MAX_METADATA_ENTRIES; i++) {
            w.putMetadata("k" + i, "v");
        }
        w.putMetadata("k0", "replaced");                      // an existing key is no new entry
        assertThatThrownBy(() -> w.putMetadata("one-more", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metadata entry 'one-more' is one too many: a .bit2 file holds at most 4096 "
                        + "(what a reader accepts by default)");
        for (int i = 0; i < Bit2Limits.MAX_TENSORS; i++) {
            w.addF32("t" + i, new float[] {i}, 1);
        }
        assertThatThrownBy(() -> w.addF32("one-more", new float[1], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'one-more' is one too many: a .bit2 file holds at most 65536 "
                        + "(what a reader accepts by default)");
        Path full = dir.resolve("full.bit2");
        w.write(full);
        try (Bit2File f = Bit2File.open(full)) {                // the default limits take the fullest file
            assertThat(f.metadata()).hasSize(Bit2Limits.MAX_METADATA_ENTRIES).containsEntry("k0", "replaced");
            assertThat(f.tensors()).hasSize(Bit2Limits.MAX_TENSORS);
        }
    }

    /** A file of about 1 KB with every section and dtype, and padding bits in its bits rows. */
    private Path compactFile() throws IOException {
        Path file = dir.resolve("compact.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE)
                .putMetadata("source", "test")
                .putMetadata("step", "7")
                .addBits("w.bits", 3, 70, new long[] {-1L, 0x3F, 0x5555L, 0x2A, 1L << 63, 0x1})
                .addF32("w.alpha", new float[] {0.5f, -1f, Float.NaN}, 3)
                .addI32("w.range", new int[] {-70, 4, 2, 70, 71, -71}, 3, 2)
                .write(file);
        return file;
    }

    @Test
    void everySingleBitFlipIsDetected() throws IOException {
        Path file = compactFile();
        byte[] original = Files.readAllBytes(file);
        assertThat(original.length).isLessThan(1200);
        long inData = 0;
        byte[] b = original.clone();
        try (Bit2File f = Bit2File.open(file)) {
            for (int i = 0; i < original.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    b[i] ^= (byte) (1 << bit);
                    try (Bit2File _ = parse(b, true)) {
                        fail("byte " + i + " bit " + bit + " flipped: opened");
                    } catch (Bit2FormatException expected) {
                        // detected
                    }
                    // Without data verification only flips inside tensor data go unnoticed.
                    try (Bit2File _ = parse(b, false)) {
                        assertThat(isTensorData(f, i)).as("byte %d bit %d opened unverified", i, bit).isTrue();
                        inData++;
                    } catch (Bit2FormatException expected) {
                        // header, padding or file length damaged
                    }
                    b[i] = original[i];
                }
            }
        }
        assertThat(inData).isPositive();
        // The same through a real file, for a few flips in each region.
        Path flipped = dir.resolve("flipped.bit2");
        for (int i : new int[] {0, 9, 20, 70, Bit2Bytes.headerLength(original) - 1, original.length - 1}) {
            byte[] one = original.clone();
            one[i] ^= 4;
            Files.write(flipped, one);
            assertThatThrownBy(() -> Bit2File.open(flipped)).as("byte %d", i).isInstanceOf(Bit2FormatException.class)
                    .hasMessageContaining("flipped.bit2");
        }
    }

    private static boolean isTensorData(Bit2File f, long at) {
        return f.tensors().stream().anyMatch(t -> at >= t.offset() && at < t.offset() + t.length());
    }

    @Test
    void randomMutationsOnlyEverRaiseBit2FormatException() {
        assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
            SplittableRandom rnd = new SplittableRandom(2024);
            int opened = 0;
            int rejected = 0;
            Set<String> sections = new TreeSet<>();
            for (int trial = 0; trial < 20_000; trial++) {
                byte[] b = mutate(bytes, rnd);
                boolean reseal = rnd.nextInt(4) != 0;
                if (reseal) {
                    Bit2Bytes.reseal(b);
                }
                try (Bit2File f = parse(b, rnd.nextBoolean())) {
                    exercise(f);
                    opened++;
                } catch (Bit2FormatException e) {
                    assertThat(e.getMessage()).contains("mutant.bit2");
                    sections.add(e.section().startsWith("tensor") ? "tensor" : e.section());
                    rejected++;
                } catch (Throwable t) {
                    fail("trial " + trial + " (resealed " + reseal + "): " + t, t);
                }
            }
            assertThat(rejected).isGreaterThan(10_000);
            assertThat(opened).isPositive();
            // The resealed mutants get past the header CRC into every section's checks.
            assertThat(sections).contains("header", "config", "tokenizer", "metadata", "directory", "padding", "tensor");
        });
    }

    /** Edits the valid file, reseals its header CRC, and expects a rejection naming section and problem. */
    private void rejects(java.util.function.Consumer<byte[]> edit, String section, String problem) {
        byte[] b = bytes.clone();
        edit.accept(b);
        Bit2Bytes.reseal(b);
        assertThatThrownBy(() -> parse(b, true)).isInstanceOf(Bit2FormatException.class)
                .hasMessageContaining("mutant.bit2: " + section + ": ").hasMessageContaining(problem);
    }

    @Test
    void eachProblemIsNamed() throws IOException {
        int config = 64;
        int tokenizer = Bit2Bytes.string(bytes, "bytes") + 5;
        int metadata = tokenizer + 8;
        int emb = Bit2Bytes.entry(bytes, "embedding.bits"); // dtype, rank, 2 dims, offset, length, crc
        int scale = Bit2Bytes.entry(bytes, "embedding.scale"); // dtype, rank, 1 dim, offset, length, crc

        assertThatThrownBy(() -> Bit2File.open(dir.resolve("absent.bit2"))).isInstanceOf(Bit2FormatException.class)
                .hasMessage(dir.resolve("absent.bit2") + ": file: does not exist");
        assertThatThrownBy(() -> parse(new byte[10], true)).hasMessageContaining("header: file too short: 10 bytes");
        rejects(b -> b[0] = 'b', "header", "bad magic");
        rejects(b -> {
            Bit2Bytes.putU32(b, 8, 3);
            Bit2Bytes.putU32(b, 12, 2);
        }, "header", "format version too new: the file needs a reader of version 2");
        rejects(b -> Bit2Bytes.putU32(b, 12, 0), "header", "min_reader_version");
        rejects(b -> Bit2Bytes.putU64(b, 16, bytes.length + 1L), "header", "header_length");
        rejects(b -> b[40] = 1, "header", "reserved byte 40");
        assertThatThrownBy(() -> parse(Arrays.copyOf(bytes, bytes.length - 1), true))
                .hasMessageContaining("header: file is " + (bytes.length - 1) + " bytes but its header says " + bytes.length
                        + " (truncated)");
        byte[] damaged = bytes.clone();
        damaged[70] ^= 1;
        assertThatThrownBy(() -> parse(damaged, true)).hasMessageContaining("header: CRC32C mismatch");

        rejects(b -> Bit2Bytes.putU32(b, config + 4, 0), "config", "d_model: must be in [1, 1048576], got 0");
        rejects(b -> Bit2Bytes.putU32(b, config + 12, 3), "config", "d_model: must be divisible by n_heads");
        rejects(b -> b[tokenizer - 5] = 'B', "config", "unknown tokenizer 'Bytes'");
        rejects(b -> Bit2Bytes.putU32(b, tokenizer, 1 << 20), "tokenizer", "token_count: must be in [0, 0]");
        rejects(b -> Bit2Bytes.putU32(b, metadata, 1 << 20), "metadata",
                "entry_count: 1048576 entries need at least 8388608 bytes");
        rejects(b -> Bit2Bytes.putU32(b, metadata + 4, 1 << 30), "metadata", "key 0 length: must be in [1, 1024]");
        rejects(b -> b[metadata + 8] = (byte) 0xC3, "metadata", "key 0: not valid UTF-8");
        Path twoKeys = dir.resolve("keys.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE).putMetadata("ab", "1").putMetadata("cd", "2").write(twoKeys);
        byte[] keys = Files.readAllBytes(twoKeys);
        int cd = Bit2Bytes.string(keys, "cd");
        keys[cd] = 'a';
        keys[cd + 1] = 'b';
        assertThatThrownBy(() -> parse(Bit2Bytes.reseal(keys), true)).hasMessageContaining("metadata: duplicate key 'ab'");

        rejects(b -> Bit2Bytes.putU32(b, emb, 9), "directory", "unknown dtype code 9");
        rejects(b -> Bit2Bytes.putU32(b, emb + 4, 9), "directory", "rank: must be in [1, 8]");
        rejects(b -> Bit2Bytes.putU64(b, emb + 8, 1L << 40), "directory", "dim 0: must be in [1, 2147483647]");
        rejects(b -> Bit2Bytes.putU64(b, emb + 8, 257), "directory", "tensor 'embedding.bits' length: must be in [2056, 2056], got 2048");
        rejects(b -> Bit2Bytes.putU64(b, emb + 24, 1L << 50), "directory", "offset: must be in [0, " + bytes.length + "]");
        rejects(b -> Bit2Bytes.putU64(b, emb + 24, bytes.length - 64), "directory", "runs past the end of the file");
        rejects(b -> Bit2Bytes.putU64(b, scale + 16, Bit2Bytes.u64(bytes, emb + 24)), "directory",
                "tensor 'embedding.scale' is at offset"); // overlaps the embedding
        rejects(b -> {
            long first = Bit2Bytes.u64(bytes, emb + 24);
            Bit2Bytes.putU64(b, emb + 24, Bit2Bytes.u64(bytes, scale + 16));
            Bit2Bytes.putU64(b, scale + 16, first);
        }, "directory", "expected"); // out of order
        rejects(b -> b[Bit2Bytes.string(bytes, "layers.0.attn.k.bits") + 14] = 'q', "directory",
                "duplicate tensor 'layers.0.attn.q.bits'");
        int dataStart = (int) Bit2Bytes.u64(bytes, emb + 24);
        rejects(b -> b[dataStart - 1] = 1, "padding", "byte " + (dataStart - 1) + " must be 0");
        rejects(b -> b[dataStart] ^= 1, "tensor 'embedding.bits'", "CRC32C mismatch");
        rejects(b -> {
            b[dataStart + 1] = 1; // bit 8 of row 0: padding, since d = 8
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(b, dataStart, 2048);
            Bit2Bytes.putU32(b, emb + 40, (int) crc.getValue());
        }, "tensor 'embedding.bits'", "padding bits of row 0 are not zero");
    }

    @Test
    void requireModelLayoutNamesMissingAndWrongTensors() throws IOException {
        Path file = dir.resolve("partial.bit2");
        new Bit2Writer(SMALL, ByteTokenizer.INSTANCE)
                .addBits("embedding.bits", 256, 8, new long[256])
                .addF32("embedding.scale", new float[4], 4)
                .addF32("extra", new float[1], 1)
                .write(file);
        try (Bit2File f = Bit2File.open(file)) {
            assertThatThrownBy(f::requireModelLayout).isInstanceOf(Bit2FormatException.class)
                    .hasMessageContaining("partial.bit2: layout: ")
                    .hasMessageContaining("unexpected tensor 'extra'")
                    .hasMessageContaining("tensor 'embedding.scale' is F32[4], expected F32[8]")
                    .hasMessageContaining("missing tensor 'attention.alibi_slopes'")
                    .hasMessageContaining("more");
        }
        try (Bit2File f = Bit2File.open(valid)) {
            f.requireModelLayout();
        }
        // n_layers = 2^20 in an otherwise valid small file: rejected by count, without building 18 M specs.
        byte[] b = bytes.clone();
        Bit2Bytes.putU32(b, 72, 1 << 20);
        try (Bit2File f = parse(Bit2Bytes.reseal(b), false)) {
            assertThatThrownBy(f::requireModelLayout).hasMessageContaining("layout: the model layout of")
                    .hasMessageContaining("has 18874374 tensors but the file holds only 24");
        }
    }

    @Test
    void gpt2TableProblemsAreNamedAndMutationsRejectedCleanly() throws IOException {
        ModelConfig c = new ModelConfig(50257, 8, 1, 1, 8, 8, TokenizerKind.GPT2);
        Path file = dir.resolve("gpt2.bit2");
        RandomModel.write(c, R50kTokenizer.get(), 3, file);
        byte[] gpt2 = Files.readAllBytes(file);
        int tokens = Bit2Bytes.string(gpt2, "gpt2") + 4; // token_count, then the table
        int special = Bit2Bytes.string(gpt2, "<|endoftext|>");
        assertThat(Bit2Bytes.u32(gpt2, tokens)).isEqualTo(50256);
        assertThat(Bit2Bytes.u32(gpt2, tokens + 4)).isEqualTo(1); // token 0 is "!"
        assertThat(gpt2[tokens + 8]).isEqualTo((byte) '!');

        byte[] b = gpt2.clone();
        b[tokens + 8] = '"'; // token 0 now has token 1's bytes
        assertThatThrownBy(() -> parse(Bit2Bytes.reseal(b), false)).hasMessageContaining("tokenizer: invalid gpt2 table: ");
        byte[] id = gpt2.clone();
        Bit2Bytes.putU32(id, special + 13, 50255);
        assertThatThrownBy(() -> parse(Bit2Bytes.reseal(id), false))
                .hasMessageContaining("tokenizer: special token '<|endoftext|>' id: must be in [50256, 50256], got 50255");
        byte[] none = gpt2.clone();
        Bit2Bytes.putU32(none, special - 8, 0); // special_count
        assertThatThrownBy(() -> parse(Bit2Bytes.reseal(none), false)).hasMessageContaining("tokenizer: ");

        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 100; trial++) {
            byte[] m = gpt2.clone();
            int at = tokens + rnd.nextInt(special + 20 - tokens);
            switch (rnd.nextInt(3)) {
                case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> m[at] = (byte) rnd.nextInt(256);
                default -> Bit2Bytes.putU32(m, at, interesting(rnd, m.length));
            }
            try (Bit2File f = parse(Bit2Bytes.reseal(m), rnd.nextBoolean())) {
                exercise(f);
            } catch (Bit2FormatException expected) {
                assertThat(expected.getMessage()).contains("mutant.bit2");
            } catch (RuntimeException | Error e) {
                fail("gpt2 trial " + trial + ": " + e, e);
            }
        }
    }

    /** Uses everything an opened file offers; for a mutated file only Bit2FormatException is acceptable. */
    private static void exercise(Bit2File f) throws Bit2FormatException {
        f.config().parameterCount();
        f.metadata().forEach((k, v) -> { });
        for (TensorInfo t : f.tensors()) {
            f.segment(t.name()).byteSize();
            switch (t.dtype()) {
                case BITS -> f.longs(t.name());
                case F32 -> f.floats(t.name());
                case I32 -> f.ints(t.name());
            }
        }
        try {
            f.requireModelLayout();
        } catch (Bit2FormatException acceptable) {
            // a mutated directory may well not be the model layout
        }
    }

    /** One to three random edits: bit flips, byte sets, interesting u32/u64 values, truncation, extension, insertion, deletion. */
    private byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int edits = 1 + rnd.nextInt(3);
        int header = Bit2Bytes.headerLength(src);
        for (int e = 0; e < edits; e++) {
            // Most edits go into the header, where the parser has to cope with them.
            int at = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : rnd.nextInt(Math.min(header, b.length));
            switch (rnd.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> {
                    if (at + 4 <= b.length) {
                        Bit2Bytes.putU32(b, at, interesting(rnd, b.length));
                    }
                }
                case 3 -> {
                    if (at + 8 <= b.length) {
                        Bit2Bytes.putU64(b, at, interesting(rnd, b.length) & 0xFFFF_FFFFL | (rnd.nextInt(4) == 0 ? -1L << 32 : 0));
                    }
                }
                case 4 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 5 -> b = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(200));
                case 6 -> {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                default -> {
                    if (b.length > 0) {
                        int p = Math.min(at, b.length - 1);
                        byte[] n = new byte[b.length - 1];
                        System.arraycopy(b, 0, n, 0, p);
                        System.arraycopy(b, p + 1, n, p, b.length - p - 1);
                        b = n;
                    }
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    private static int interesting(SplittableRandom rnd, int size) {
        int[] values = {0, 1, 2, 3, 7, 8, 63, 64, 65, 255, 256, 1 << 16, 1 << 20, (1 << 20) + 1, size, size - 1,
            size + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -2};
        return rnd.nextInt(3) == 0 ? rnd.nextInt() : values[rnd.nextInt(values.length)];
    }
}
