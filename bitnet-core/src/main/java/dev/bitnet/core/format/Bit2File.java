package dev.bitnet.core.format;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.TensorSpec;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import dev.bitnet.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * An open {@code .bit2} model file: its config, tokenizer, metadata and tensor directory, with the
 * tensor data mapped read-only in place ({@code docs/bit2-format.md} describes the layout).
 *
 * <p>{@link #open(Path, boolean)} validates every count, length, offset and shape against the
 * file size before it allocates or reads anything they describe, and checks the header's CRC32C;
 * with {@code verifyData} it also checks each tensor's CRC32C and that the padding bits of
 * {@link DType#BITS} rows are zero. Any problem is a {@link Bit2FormatException} naming the file,
 * the section and what is wrong.
 *
 * <p>Instances are immutable and safe to share between threads. {@link #close()} releases the
 * mapping: segments handed out before become inaccessible (access then throws
 * {@link IllegalStateException}).
 */
public final class Bit2File implements AutoCloseable {

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** CRC32C.update takes a ByteBuffer, which holds at most 2 GB: hash big tensors in slices. */
    private static final long CRC_CHUNK = 1L << 30;
    /** Embedding bits and scale, ALiBi slopes, final norm gain, head alpha and bias. */
    private static final int MODEL_WIDE_TENSORS = 6;

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final int formatVersion;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final boolean dataVerified;

    private Bit2File(Path path, Arena arena, MemorySegment data, int formatVersion, ModelConfig config,
                     Tokenizer tokenizer, Map<String, String> metadata, List<TensorInfo> tensors, boolean dataVerified) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.formatVersion = formatVersion;
        this.config = config;
        this.tokenizer = tokenizer;
        this.metadata = metadata;
        this.tensors = tensors;
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            m.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.dataVerified = dataVerified;
    }

    /** Opens and fully verifies (header and every tensor's CRC32C), with the default {@link Bit2Limits}. */
    public static Bit2File open(Path file) throws Bit2FormatException {
        return open(file, true);
    }

    /**
     * Opens a file with the default {@link Bit2Limits}. The header (fixed fields, CRC32C, every
     * section and the data layout) is always checked; {@code verifyData=false} skips the
     * per-tensor CRC32C and padding-bit checks, which read every byte of the file.
     */
    public static Bit2File open(Path file, boolean verifyData) throws Bit2FormatException {
        return open(file, verifyData, Bit2Limits.DEFAULTS);
    }

    /**
     * Opens a file (see {@link #open(Path, boolean)}) that may hold at most the metadata entries
     * and tensors {@code limits} allows. Only a regular file (or a link to one) is opened: a
     * directory, device or FIFO is refused before it is opened (opening a FIFO would block).
     */
    public static Bit2File open(Path file, boolean verifyData, Bit2Limits limits) throws Bit2FormatException {
        requireRegularFile(file);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena).asReadOnly();
            Bit2File f = parse(file, arena, data, verifyData, limits);
            arena = null; // owned by f now
            return f;
        } catch (NoSuchFileException e) {
            throw new Bit2FormatException(file, "file", "does not exist", e);
        } catch (Bit2FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new Bit2FormatException(file, "file", "cannot read: " + e, e);
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    private static void requireRegularFile(Path file) throws Bit2FormatException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Bit2FormatException(file, "file", "does not exist", e);
        } catch (IOException e) {
            throw new Bit2FormatException(file, "file", "cannot read: " + e, e);
        }
        if (!a.isRegularFile()) {
            throw new Bit2FormatException(file, "file", "is not a regular file but "
                    + (a.isDirectory() ? "a directory" : "a device, FIFO or socket"));
        }
    }

    /**
     * Parses and checks a file's bytes; the result owns {@code arena} (closes it on {@link #close()}).
     * Tests call this directly with in-memory bytes to check many damaged files quickly.
     */
    static Bit2File parse(Path file, Arena arena, MemorySegment data, boolean verifyData, Bit2Limits limits)
            throws Bit2FormatException {
        long size = data.byteSize();
        if (size < Bit2Format.MIN_HEADER) {
            throw new Bit2FormatException(file, "header", "file too short: " + size
                    + " bytes, a .bit2 file has at least " + Bit2Format.MIN_HEADER
                    + (size > 0 && startsWithMagic(data) ? " (truncated: it starts like one)" : ""));
        }
        if (!startsWithMagic(data)) {
            throw new Bit2FormatException(file, "header", "bad magic: not a .bit2 file (first bytes "
                    + hex(data.asSlice(0, Bit2Format.MAGIC.length)) + ", expected " + hex(MemorySegment.ofArray(Bit2Format.MAGIC)) + ")");
        }
        HeaderCursor fixed = new HeaderCursor(file, data, Bit2Format.OFF_FORMAT_VERSION, Bit2Format.FIXED_HEADER);
        fixed.section("header");
        int formatVersion = fixed.u32("format_version", 1, Integer.MAX_VALUE);
        long minReader = Integer.toUnsignedLong(fixed.bits32("min_reader_version"));
        if (minReader > Bit2Format.READER_VERSION) {
            throw new Bit2FormatException(file, "header", "format version too new: the file needs a reader of version "
                    + minReader + " (format_version " + formatVersion + "), this reader supports version "
                    + Bit2Format.READER_VERSION);
        }
        if (minReader < 1 || minReader > formatVersion) {
            throw new Bit2FormatException(file, "header", "min_reader_version must be in [1, format_version="
                    + formatVersion + "], got " + minReader);
        }
        // The file length first: a truncated file then says so, instead of that its
        // header_length points past the end.
        long fileLength = data.get(LONG_LE, Bit2Format.OFF_FILE_LENGTH);
        if (fileLength != size) {
            throw new Bit2FormatException(file, "header", "file is " + size + " bytes but its header says "
                    + Long.toUnsignedString(fileLength) + (Long.compareUnsigned(size, fileLength) < 0
                    ? " (truncated)" : " (extra bytes at the end)"));
        }
        long headerLength = fixed.u64("header_length", Bit2Format.MIN_HEADER, Math.min(size, Bit2Format.MAX_HEADER));
        for (long i = Bit2Format.OFF_RESERVED; i < Bit2Format.FIXED_HEADER; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) != 0) {
                throw new Bit2FormatException(file, "header", "reserved byte " + i + " must be 0");
            }
        }
        int storedCrc = data.get(INT_LE, headerLength - Bit2Format.HEADER_CRC);
        int actualCrc = crc32c(data.asSlice(0, headerLength - Bit2Format.HEADER_CRC));
        if (storedCrc != actualCrc) {
            throw new Bit2FormatException(file, "header", String.format(
                    "CRC32C mismatch: stored %08x, computed %08x (the header is damaged)", storedCrc, actualCrc));
        }

        HeaderCursor in = new HeaderCursor(file, data, Bit2Format.FIXED_HEADER, headerLength - Bit2Format.HEADER_CRC);
        ModelConfig config = readConfig(file, in);
        Tokenizer tokenizer = readTokenizer(file, in, config);
        Map<String, String> metadata = readMetadata(in, limits);
        List<TensorInfo> tensors = readDirectory(in, size, limits);
        if (in.remaining() != 0) {
            throw in.fail(in.remaining() + " unexpected bytes after the tensor directory");
        }
        checkLayout(file, data, headerLength, tensors);
        if (verifyData) {
            for (TensorInfo t : tensors) {
                verify(file, data, t);
            }
        }
        return new Bit2File(file, arena, data, formatVersion, config, tokenizer, metadata, tensors, verifyData);
    }

    /** Whether the file's first bytes (as many as it has, up to 8) are those of the magic. */
    private static boolean startsWithMagic(MemorySegment data) {
        long n = Math.min(data.byteSize(), Bit2Format.MAGIC.length);
        for (int i = 0; i < n; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) != Bit2Format.MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static ModelConfig readConfig(Path file, HeaderCursor in) throws Bit2FormatException {
        in.section("config");
        long max = ModelConfig.MAX_DIMENSION;
        int vocab = in.u32("vocab_size", 1, max);
        int d = in.u32("d_model", 1, max);
        int layers = in.u32("n_layers", 1, max);
        int heads = in.u32("n_heads", 1, max);
        int ff = in.u32("d_ff", 1, max);
        int context = in.u32("context", 1, max);
        String kind = in.string("tokenizer", 1, Bit2Format.MAX_NAME_BYTES);
        try {
            TokenizerKind tokenizer = TokenizerKind.parse(kind);
            if (!tokenizer.id().equals(kind)) {
                throw new IllegalArgumentException("unknown tokenizer '" + kind + "' (the file stores exactly '"
                        + tokenizer.id() + "')");
            }
            return new ModelConfig(vocab, d, layers, heads, ff, context, tokenizer);
        } catch (IllegalArgumentException e) {
            throw new Bit2FormatException(file, "config", e.getMessage(), e);
        }
    }

    private static Tokenizer readTokenizer(Path file, HeaderCursor in, ModelConfig config) throws Bit2FormatException {
        in.section("tokenizer");
        boolean bytes = config.tokenizer() == TokenizerKind.BYTES;
        int tokens = in.count("token_count", bytes ? 0 : Bit2Format.MAX_COUNT, 5);
        List<byte[]> ranks = new ArrayList<>(tokens);
        for (int i = 0; i < tokens; i++) {
            ranks.add(in.bytes("token " + i, 1, Bit2Format.MAX_TOKEN_BYTES));
        }
        int specials = in.count("special_count", bytes ? 0 : Bit2Format.MAX_COUNT, 9);
        Map<String, Integer> special = new LinkedHashMap<>();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < specials; i++) {
            String name = in.string("special token " + i + " name", 1, Bit2Format.MAX_NAME_BYTES);
            int id = in.u32("special token '" + name + "' id", tokens, config.vocabSize() - 1L);
            if (!ids.add(id) || special.put(name, id) != null) {
                throw in.fail("special token '" + name + "' (id " + id + ") is a duplicate");
            }
        }
        if (bytes) {
            return ByteTokenizer.INSTANCE; // the bytes tokenizer has no table
        }
        if ((long) tokens + specials != config.vocabSize()) {
            throw in.fail("token_count + special_count must be vocab_size=" + config.vocabSize()
                    + ", got " + tokens + " + " + specials);
        }
        try {
            return Gpt2Tokenizer.of(ranks, special);
        } catch (IllegalArgumentException e) {
            throw new Bit2FormatException(file, "tokenizer", "invalid gpt2 table: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readMetadata(HeaderCursor in, Bit2Limits limits) throws Bit2FormatException {
        in.section("metadata");
        int n = in.count("entry_count", Bit2Format.MAX_COUNT, 8);
        if (n > limits.maxMetadataEntries()) {
            throw in.fail("entry_count: " + n + " entries, more than the limit of " + limits.maxMetadataEntries()
                    + " (Bit2Limits.maxMetadataEntries)");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.string("key " + i, 1, Bit2Format.MAX_NAME_BYTES);
            String value = in.string("value of '" + key + "'", 0, Bit2Format.MAX_VALUE_BYTES);
            if (m.put(key, value) != null) {
                throw in.fail("duplicate key '" + key + "'");
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<TensorInfo> readDirectory(HeaderCursor in, long fileSize, Bit2Limits limits)
            throws Bit2FormatException {
        in.section("directory");
        // name length, dtype, rank, one dim, offset, length, crc
        int n = in.count("tensor_count", Bit2Format.MAX_COUNT, 4 + 1 + 4 + 4 + 8 + 8 + 8 + 4);
        if (n > limits.maxTensors()) {
            throw in.fail("tensor_count: " + n + " tensors, more than the limit of " + limits.maxTensors()
                    + " (Bit2Limits.maxTensors)");
        }
        List<TensorInfo> out = new ArrayList<>(n);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String name = in.string("tensor " + i + " name", 1, Bit2Format.MAX_NAME_BYTES);
            String what = "tensor '" + name + "'";
            if (!names.add(name)) {
                throw in.fail("duplicate " + what);
            }
            int code = in.u32(what + " dtype", 0, 0xFFFF_FFFFL);
            DType dtype = DType.ofCode(code);
            if (dtype == null) {
                throw in.fail(what + ": unknown dtype code " + Integer.toUnsignedString(code)
                        + " (known: " + Arrays.toString(DType.values()) + ")");
            }
            int rank = in.u32(what + " rank", 1, Bit2Format.MAX_RANK);
            long[] shape = new long[rank];
            for (int k = 0; k < rank; k++) {
                shape[k] = in.u64(what + " dim " + k, 1, Bit2Format.MAX_DIM);
            }
            long expected;
            try {
                expected = dtype.byteLength(shape);
            } catch (ArithmeticException e) {
                throw in.fail(what + ": shape " + Arrays.toString(shape) + " overflows");
            }
            long offset = in.u64(what + " offset", 0, fileSize);
            long length = in.u64(what + " length", expected, expected);
            if (length > fileSize - offset) {
                throw in.fail(what + ": data [" + offset + ", " + offset + "+" + length + ") runs past the end of the file ("
                        + fileSize + " bytes)");
            }
            int crc = in.bits32(what + " crc32c");
            out.add(new TensorInfo(name, dtype, shape, offset, length, crc));
        }
        return List.copyOf(out);
    }

    /**
     * Tensors follow the header in directory order, each at the next 64-byte boundary, with zero
     * padding in between and nothing after the last: every byte of the file is then covered by
     * the header CRC, a tensor CRC or this zero check.
     */
    private static void checkLayout(Path file, MemorySegment data, long headerLength, List<TensorInfo> tensors)
            throws Bit2FormatException {
        long end = headerLength;
        for (TensorInfo t : tensors) {
            long expected = Bit2Format.align(end);
            if (t.offset() != expected) {
                throw new Bit2FormatException(file, "directory", "tensor '" + t.name() + "' is at offset " + t.offset()
                        + ", expected " + expected + " (tensors follow each other in directory order, 64-byte aligned)");
            }
            requireZero(file, data, end, expected);
            end = expected + t.length();
        }
        if (end != data.byteSize()) {
            throw new Bit2FormatException(file, "directory", "the last tensor ends at byte " + end
                    + " but the file has " + data.byteSize() + " bytes");
        }
    }

    private static void requireZero(Path file, MemorySegment data, long from, long to) throws Bit2FormatException {
        for (long i = from; i < to; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) != 0) {
                throw new Bit2FormatException(file, "padding", "byte " + i + " must be 0 (padding before a tensor)");
            }
        }
    }

    private static void verify(Path file, MemorySegment data, TensorInfo t) throws Bit2FormatException {
        MemorySegment s = data.asSlice(t.offset(), t.length());
        int crc = crc32c(s);
        if (crc != t.crc32c()) {
            throw new Bit2FormatException(file, "tensor '" + t.name() + "'", String.format(
                    "CRC32C mismatch: stored %08x, computed %08x (the data is damaged)", t.crc32c(), crc));
        }
        if (t.dtype() == DType.BITS) {
            long[] shape = t.shape();
            long cols = shape[shape.length - 1];
            long mask = ~BitPacking.lastWordMask((int) (cols & 63));
            if (mask == 0) {
                return;
            }
            long rowBytes = (cols + 63) / 64 * 8;
            for (long at = rowBytes - 8; at < t.length(); at += rowBytes) {
                if ((s.get(LONG_LE, at) & mask) != 0) {
                    throw new Bit2FormatException(file, "tensor '" + t.name() + "'", "padding bits of row "
                            + at / rowBytes + " are not zero");
                }
            }
        }
    }

    private static int crc32c(MemorySegment s) {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < s.byteSize(); at += CRC_CHUNK) {
            crc.update(s.asSlice(at, Math.min(CRC_CHUNK, s.byteSize() - at)).asByteBuffer());
        }
        return (int) crc.getValue();
    }

    private static String hex(MemorySegment s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.toArray(ValueLayout.JAVA_BYTE)) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The file's {@code format_version}. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The model configuration. */
    public ModelConfig config() {
        return config;
    }

    /** The tokenizer the file carries. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Free-form metadata in file order (unmodifiable). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Whether every tensor's CRC32C and padding bits were checked when the file was opened. */
    public boolean dataVerified() {
        return dataVerified;
    }

    /** The tensor directory in file order. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /**
     * The directory entry of a tensor.
     *
     * @throws Bit2FormatException if the file has no tensor of that name
     */
    public TensorInfo info(String name) throws Bit2FormatException {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new Bit2FormatException(path, "directory", "no tensor named '" + name + "'");
        }
        return t;
    }

    /** Read-only view of the mapped data, 64-byte aligned, valid until {@link #close()}. */
    public MemorySegment segment(String name) throws Bit2FormatException {
        TensorInfo t = info(name);
        return data.asSlice(t.offset(), t.length());
    }

    /** A copy of an {@link DType#F32} tensor's values. */
    public float[] floats(String name) throws Bit2FormatException {
        return segment(typed(name, DType.F32)).toArray(FLOAT_LE);
    }

    /** A copy of an {@link DType#I32} tensor's values. */
    public int[] ints(String name) throws Bit2FormatException {
        return segment(typed(name, DType.I32)).toArray(INT_LE);
    }

    /** A copy of a {@link DType#BITS} tensor's words: row after row, {@code ceil(cols / 64)} words each. */
    public long[] longs(String name) throws Bit2FormatException {
        return segment(typed(name, DType.BITS)).toArray(LONG_LE);
    }

    private String typed(String name, DType dtype) throws Bit2FormatException {
        TensorInfo t = info(name);
        if (t.dtype() != dtype) {
            throw new Bit2FormatException(path, "tensor '" + name + "'", "is " + t.dtype() + ", not " + dtype);
        }
        if (t.length() / (dtype == DType.BITS ? 8 : 4) > Integer.MAX_VALUE - 8) {
            throw new Bit2FormatException(path, "tensor '" + name + "'", t.length()
                    + " bytes is too large for a Java array; use segment()");
        }
        return name;
    }

    /**
     * Checks the file holds exactly the tensors of {@link ModelLayout#tensors(ModelConfig)} for its
     * config, with those dtypes and shapes (in any order). The runtime also relies on the padding
     * bits of {@link DType#BITS} rows being zero; {@link #open} checks that when it verifies the data.
     */
    public void requireModelLayout() throws Bit2FormatException {
        // A grossly wrong count fails here, before the expected list (whose size n_layers sets) is built:
        // the work below then stays proportional to the file's own directory.
        long perLayer = ModelLayout.NORMS.size() + 2L * ModelLayout.BINARY_LAYERS.size() + 3L * ModelLayout.RAW_LAYERS.size();
        long expectedCount = MODEL_WIDE_TENSORS + perLayer * config.nLayers();
        if (expectedCount > 2L * tensors.size() + 64) {
            throw new Bit2FormatException(path, "layout", "the model layout of " + config + " has " + expectedCount
                    + " tensors but the file holds only " + tensors.size());
        }
        List<String> problems = new ArrayList<>();
        Map<String, TensorSpec> expected = new TreeMap<>();
        for (TensorSpec s : ModelLayout.tensors(config)) {
            expected.put(s.name(), s);
        }
        for (TensorInfo t : tensors) {
            TensorSpec s = expected.remove(t.name());
            if (s == null) {
                problems.add("unexpected tensor '" + t.name() + "'");
            } else if (s.dtype() != t.dtype() || !Arrays.equals(s.shape(), t.shape())) {
                problems.add("tensor '" + t.name() + "' is " + t.dtype() + Arrays.toString(t.shape())
                        + ", expected " + s.dtype() + Arrays.toString(s.shape()));
            }
        }
        for (String missing : expected.keySet()) {
            problems.add("missing tensor '" + missing + "'");
        }
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(10, problems.size())));
            throw new Bit2FormatException(path, "layout", "does not match the model layout of " + config + ": "
                    + shown + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : ""));
        }
    }

    /** Releases the mapping; segments handed out before become inaccessible. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
