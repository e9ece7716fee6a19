package dev.bitnet.train.data;

import dev.bitnet.core.config.TokenizerKind;

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

/**
 * A token shard in llm.c's format, mapped read-only.
 *
 * <p>Layout (all little-endian): a header of 256 int32 ({@code [0]} = {@value #MAGIC},
 * {@code [1]} = {@value #VERSION}, {@code [2]} = token count, the rest 0), then the tokens as
 * uint16. This is what llm.c's {@code dev/data/*.py} and the nanoGPT speedrun tooling write for
 * GPT-2 tokens (FineWeb, FineWeb-Edu), so their shards are read as they are.
 *
 * <p>A shard is thread-safe for reading; {@link #close()} unmaps it, after which it must not be used.
 */
public final class TokenShard implements AutoCloseable {

    /** llm.c's magic number, header int 0. */
    public static final int MAGIC = 20240520;
    /** Version 1: uint16 tokens (GPT-2 sized vocabularies). llm.c's version 2 (uint32, Llama 3) is not supported. */
    public static final int VERSION = 1;
    /** Header size in int32 values. */
    public static final int HEADER_INTS = 256;
    /** Header size in bytes: tokens start at this offset. */
    public static final int HEADER_BYTES = HEADER_INTS * Integer.BYTES;

    private static final ValueLayout.OfShort TOKEN =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment tokens;
    private final long size;

    private TokenShard(Path path, Arena arena, MemorySegment tokens, long size) {
        this.path = path;
        this.arena = arena;
        this.tokens = tokens;
        this.size = size;
    }

    /**
     * Maps a shard after checking its header: magic, version, and that the token count matches the
     * file size exactly.
     *
     * @throws CorpusException naming the file and what is wrong with it
     */
    public static TokenShard open(Path path) throws IOException {
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CorpusException("token shard not found: " + path);
        }
        if (fileSize < HEADER_BYTES) {
            throw new CorpusException(path + ": not a token shard: " + fileSize
                    + " bytes, shorter than the " + HEADER_BYTES + "-byte llm.c header");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            long count = checkHeader(path, all, fileSize);
            TokenShard shard = new TokenShard(path, arena, all.asSlice(HEADER_BYTES), count);
            arena = null;
            return shard;
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    private static long checkHeader(Path path, MemorySegment all, long fileSize) throws CorpusException {
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int magic = all.get(le, 0);
        if (magic != MAGIC) {
            throw new CorpusException(path + ": not a token shard: header magic " + magic
                    + ", expected " + MAGIC + " (llm.c format)");
        }
        int version = all.get(le, 4);
        if (version != VERSION) {
            throw new CorpusException(path + ": token shard version " + version + " is not supported, expected "
                    + VERSION + (version == 2 ? " (version 2 holds uint32 Llama 3 tokens)" : ""));
        }
        int count = all.get(le, 8);
        long expected = HEADER_BYTES + 2L * Integer.toUnsignedLong(count);
        if (count < 0 || expected != fileSize) {
            throw new CorpusException(path + ": token shard header says " + Integer.toUnsignedLong(count)
                    + " tokens (a file of " + expected + " bytes) but the file has " + fileSize + " bytes");
        }
        return count;
    }

    /** Writes {@code tokens} as a shard, atomically: a temporary file in the same folder, then a rename. */
    public static void write(Path path, int[] tokens) throws IOException {
        try (ShardWriter w = ShardWriter.create(path)) {
            w.add(tokens, 0, tokens.length);
            w.commit();
        }
    }

    /** The file this shard was mapped from. */
    public Path path() {
        return path;
    }

    /** Number of tokens. */
    public long size() {
        return size;
    }

    /** Token {@code i}, in {@code [0, 65535]}. */
    public int get(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("token " + i + " outside [0, " + size + ") in " + path);
        }
        return tokens.get(TOKEN, 2 * i) & 0xFFFF;
    }

    /** Copies tokens {@code [start, start + len)} into {@code dst[off..]}. */
    public void copy(long start, int[] dst, int off, int len) {
        if (start < 0 || len < 0 || start + len > size) {
            throw new IndexOutOfBoundsException(
                    "tokens [" + start + ", " + (start + len) + ") outside [0, " + size + ") in " + path);
        }
        long byteOff = 2 * start;
        for (int i = 0; i < len; i++) {
            dst[off + i] = tokens.get(TOKEN, byteOff + 2L * i) & 0xFFFF;
        }
    }

    /**
     * Checks that every token is below {@code kind.vocabSize()}: a shard tokenized with another
     * tokenizer must not train silently.
     *
     * @throws CorpusException naming the file, the first bad token's index and value
     */
    public void checkVocabulary(TokenizerKind kind) throws CorpusException {
        int vocab = kind.vocabSize();
        for (long i = 0; i < size; i++) {
            int t = tokens.get(TOKEN, 2 * i) & 0xFFFF;
            if (t >= vocab) {
                throw new CorpusException(path + ": token " + i + " is " + t + ", not below the vocabulary size "
                        + vocab + " of tokenizer " + kind.id() + " (was the shard made with another tokenizer?)");
            }
        }
    }

    /** Unmaps the shard. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return path + " (" + size + " tokens)";
    }
}
