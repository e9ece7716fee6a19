package dev.bitnet.core.format;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import dev.bitnet.core.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * Builds a {@code .bit2} file: config, tokenizer, metadata, then tensors in the order they are
 * added ({@code docs/bit2-format.md} describes the layout).
 *
 * <p>The writer keeps references to the arrays it is given: do not modify them before
 * {@link #write(Path)}. Invalid arguments (duplicate names, data that does not match the shape,
 * non-zero padding bits) throw {@link IllegalArgumentException} at once. Float values are written
 * as they are, including NaN and infinities: checking them is the caller's job.
 *
 * <p>{@link #write(Path)} never leaves a half-written file: it writes a temporary file in the
 * target's directory, forces it to disk and moves it into place atomically.
 */
public final class Bit2Writer {

    /** Elements converted to bytes per write: 1 MiB for bits. */
    private static final int CHUNK = 1 << 17;

    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** A tensor to write: {@code data} is a {@code long[]}, {@code float[]} or {@code int[]} matching {@code dtype}. */
    private record Entry(byte[] name, DType dtype, long[] shape, Object data) {
    }

    /**
     * A writer for a model of this config.
     *
     * @throws IllegalArgumentException if the tokenizer's kind or vocabulary does not match the config,
     *                                  or a gpt2 tokenizer is not a {@link Gpt2Tokenizer} (its table is written)
     */
    public Bit2Writer(ModelConfig config, Tokenizer tokenizer) {
        if (config == null || tokenizer == null) {
            throw new IllegalArgumentException("config and tokenizer must be given");
        }
        if (tokenizer.kind() != config.tokenizer() || tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + tokenizer.kind() + " with " + tokenizer.vocabSize()
                    + " tokens does not match the config's " + config.tokenizer() + " with " + config.vocabSize());
        }
        if (tokenizer.kind() == TokenizerKind.GPT2) {
            if (!(tokenizer instanceof Gpt2Tokenizer gpt2)) {
                throw new IllegalArgumentException("a gpt2 model needs a Gpt2Tokenizer (its table goes into the file), got "
                        + tokenizer.getClass().getName());
            }
            List<byte[]> ranks = gpt2.mergeableRanks();
            for (int i = 0; i < ranks.size(); i++) {
                if (ranks.get(i).length > Bit2Format.MAX_TOKEN_BYTES) {
                    throw new IllegalArgumentException("token " + i + " has " + ranks.get(i).length
                            + " bytes, a .bit2 file allows at most " + Bit2Format.MAX_TOKEN_BYTES);
                }
            }
            for (String name : gpt2.specialTokens().keySet()) {
                utf8Name("special token", name);
            }
        }
        this.config = config;
        this.tokenizer = tokenizer;
    }

    /**
     * Sets a metadata entry (a later value for the same key replaces the earlier one, keeping its
     * place). A file holds at most {@value Bit2Limits#MAX_METADATA_ENTRIES} entries, the most a
     * reader accepts by default.
     */
    public Bit2Writer putMetadata(String key, String value) {
        utf8Name("metadata key", key);
        byte[] v = utf8("metadata value of '" + key + "'", value);
        if (v.length > Bit2Format.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("metadata value of '" + key + "' is " + v.length + " bytes, at most "
                    + Bit2Format.MAX_VALUE_BYTES + " allowed");
        }
        if (!metadata.containsKey(key) && metadata.size() == Bit2Limits.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata entry '" + key + "' is one too many: a .bit2 file holds at most "
                    + Bit2Limits.MAX_METADATA_ENTRIES + " (what a reader accepts by default)");
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a ±1 matrix of {@code rows x cols}, packed by {@link BitPacking}: each row takes
     * {@code ceil(cols / 64)} words and its padding bits must be zero.
     */
    public Bit2Writer addBits(String name, int rows, int cols, long[] packedRows) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("tensor '" + name + "': rows and cols must be > 0, got " + rows + " x " + cols);
        }
        int words = BitPacking.words(cols);
        if ((long) rows * words != packedRows.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + rows + " x " + cols + " bits need "
                    + (long) rows * words + " words, got " + packedRows.length);
        }
        long padding = ~BitPacking.lastWordMask(cols);
        for (int r = 0; r < rows; r++) {
            if ((packedRows[r * words + words - 1] & padding) != 0) {
                throw new IllegalArgumentException("tensor '" + name + "': padding bits of row " + r + " are not zero");
            }
        }
        return add(name, DType.BITS, new long[] {rows, cols}, packedRows, packedRows.length);
    }

    /** Adds a float32 tensor of this shape (row-major, outermost dimension first). */
    public Bit2Writer addF32(String name, float[] data, long... shape) {
        return add(name, DType.F32, shape, data, data.length);
    }

    /** Adds an int32 tensor of this shape (row-major, outermost dimension first). */
    public Bit2Writer addI32(String name, int[] data, long... shape) {
        return add(name, DType.I32, shape, data, data.length);
    }

    private Bit2Writer add(String name, DType dtype, long[] shape, Object data, long elements) {
        byte[] n = utf8Name("tensor name", name);
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor '" + name + "'");
        }
        if (tensors.size() == Bit2Limits.MAX_TENSORS) {
            throw new IllegalArgumentException("tensor '" + name + "' is one too many: a .bit2 file holds at most "
                    + Bit2Limits.MAX_TENSORS + " (what a reader accepts by default)");
        }
        if (shape.length == 0 || shape.length > Bit2Format.MAX_RANK) {
            throw new IllegalArgumentException("tensor '" + name + "': rank must be 1.." + Bit2Format.MAX_RANK
                    + ", got " + shape.length);
        }
        long count = 1;
        for (long dim : shape) {
            if (dim <= 0 || dim > Bit2Format.MAX_DIM) {
                throw new IllegalArgumentException("tensor '" + name + "': dimensions must be in [1, "
                        + Bit2Format.MAX_DIM + "], got " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        if (dtype != DType.BITS && count != elements) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                    + count + " elements, data has " + elements);
        }
        tensors.put(name, new Entry(n, dtype, shape.clone(), data));
        return this;
    }

    /**
     * Writes the file atomically: a temporary file next to {@code out} is written, forced to disk
     * and moved over {@code out}. On failure the temporary file is deleted and {@code out} is
     * left as it was.
     */
    public void write(Path out) throws Bit2FormatException {
        List<Entry> entries = List.copyOf(tensors.values());
        int[] crcs = new int[entries.size()];
        int headerLength = header(entries, crcs, 0).length;
        Path target = out.toAbsolutePath();
        if (headerLength > Bit2Format.MAX_HEADER) {
            throw new Bit2FormatException(target, "write", "header of " + headerLength + " bytes exceeds the "
                    + Bit2Format.MAX_HEADER + " a reader accepts (too much metadata?)");
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new Bit2FormatException(target, "write", "directory " + target.getParent() + " does not exist");
        }
        Path tmp = null;
        try {
            // Not Files.createTempFile: its 0600 permissions would end up on the model file.
            Path candidate = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            FileChannel channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            tmp = candidate;
            try (FileChannel ch = channel) {
                long end = headerLength;
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < entries.size(); i++) {
                    long offset = Bit2Format.align(end);
                    ch.position(offset);
                    crcs[i] = writeData(ch, buf, entries.get(i));
                    end = ch.position();
                }
                byte[] header = header(entries, crcs, end);
                writeFully(ch, ByteBuffer.wrap(header), 0);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            throw new Bit2FormatException(target, "write", "cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    private static int writeData(FileChannel ch, ByteBuffer buf, Entry e) throws IOException {
        CRC32C crc = new CRC32C();
        int n = switch (e.data) {
            case long[] a -> a.length;
            case float[] a -> a.length;
            case int[] a -> a.length;
            default -> throw new IllegalStateException("unexpected data " + e.data.getClass());
        };
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            buf.clear();
            switch (e.data) {
                case long[] a -> buf.asLongBuffer().put(a, from, len);
                case float[] a -> buf.asFloatBuffer().put(a, from, len);
                case int[] a -> buf.asIntBuffer().put(a, from, len);
                default -> throw new IllegalStateException("unexpected data " + e.data.getClass());
            }
            buf.limit(len * (e.dtype == DType.BITS ? 8 : 4));
            crc.update(buf.duplicate());
            writeFully(ch, buf, ch.position());
            ch.position(ch.position() + buf.limit());
        }
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }

    /** The header bytes, ending with their CRC32C; {@code fileLength} 0 just measures it. */
    private byte[] header(List<Entry> entries, int[] crcs, long fileLength) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Bit2Format.MAGIC);
        u32(b, Bit2Format.FORMAT_VERSION);
        u32(b, Bit2Format.READER_VERSION);
        int lengthAt = b.size();
        u64(b, 0); // header_length, patched below
        u64(b, fileLength);
        b.writeBytes(new byte[Bit2Format.FIXED_HEADER - b.size()]);

        u32(b, config.vocabSize());
        u32(b, config.dModel());
        u32(b, config.nLayers());
        u32(b, config.nHeads());
        u32(b, config.dFf());
        u32(b, config.context());
        str(b, config.tokenizer().id().getBytes(StandardCharsets.UTF_8));

        if (tokenizer instanceof Gpt2Tokenizer gpt2) {
            List<byte[]> ranks = gpt2.mergeableRanks();
            u32(b, ranks.size());
            for (byte[] token : ranks) {
                str(b, token);
            }
            List<Map.Entry<String, Integer>> specials = new ArrayList<>(gpt2.specialTokens().entrySet());
            specials.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
            u32(b, specials.size());
            for (Map.Entry<String, Integer> s : specials) {
                str(b, s.getKey().getBytes(StandardCharsets.UTF_8));
                u32(b, s.getValue());
            }
        } else {
            u32(b, 0);
            u32(b, 0);
        }

        u32(b, metadata.size());
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            str(b, m.getKey().getBytes(StandardCharsets.UTF_8));
            str(b, m.getValue().getBytes(StandardCharsets.UTF_8));
        }

        u32(b, entries.size());
        long end = b.size() + directorySize(entries) + Bit2Format.HEADER_CRC;
        long headerLength = end;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            str(b, e.name);
            u32(b, e.dtype.code());
            u32(b, e.shape.length);
            for (long dim : e.shape) {
                u64(b, dim);
            }
            long offset = Bit2Format.align(end);
            long length = e.dtype.byteLength(e.shape);
            u64(b, offset);
            u64(b, length);
            u32(b, crcs[i]);
            end = offset + length;
        }
        byte[] h = b.toByteArray();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(lengthAt, h.length + Bit2Format.HEADER_CRC);
        if (h.length + Bit2Format.HEADER_CRC != headerLength) {
            throw new IllegalStateException("header size miscomputed: " + (h.length + 4) + " != " + headerLength);
        }
        CRC32C crc = new CRC32C();
        crc.update(h);
        byte[] out = Arrays.copyOf(h, h.length + Bit2Format.HEADER_CRC);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length, (int) crc.getValue());
        return out;
    }

    private static long directorySize(List<Entry> entries) {
        long n = 0;
        for (Entry e : entries) {
            n += 4 + e.name.length + 4 + 4 + 8L * e.shape.length + 8 + 8 + 4;
        }
        return n;
    }

    private static void u32(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }

    private static void u64(ByteArrayOutputStream b, long v) {
        u32(b, (int) v);
        u32(b, (int) (v >>> 32));
    }

    private static void str(ByteArrayOutputStream b, byte[] s) {
        u32(b, s.length);
        b.writeBytes(s);
    }

    /** A name (tensor, metadata key, special token): 1 to 1024 bytes of UTF-8. */
    private static byte[] utf8Name(String what, String s) {
        byte[] b = utf8(what, s);
        if (b.length == 0 || b.length > Bit2Format.MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " must be 1.." + Bit2Format.MAX_NAME_BYTES
                    + " bytes of UTF-8, got " + b.length + ": '" + s + "'");
        }
        return b;
    }

    private static byte[] utf8(String what, String s) {
        if (s == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate): " + e.getMessage());
        }
    }
}
