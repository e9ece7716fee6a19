package dev.bitnet.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A range of the concatenation of token shards, read as one sequence of {@code size()} tokens.
 * Owns the shards it opened: {@link #close()} unmaps them. Thread-safe for reading.
 */
public final class TokenDataset implements AutoCloseable {

    private final List<TokenShard> shards;
    private final long[] shardStart; // (shards + 1) global index of each shard's first token; last = total
    private final long offset;       // global index of this dataset's token 0
    private final long size;

    private TokenDataset(List<TokenShard> shards, long offset, long size) {
        this.shards = List.copyOf(shards);
        this.shardStart = new long[shards.size() + 1];
        for (int i = 0; i < shards.size(); i++) {
            shardStart[i + 1] = shardStart[i] + shards.get(i).size();
        }
        this.offset = offset;
        this.size = size;
    }

    /** Opens all tokens of {@code shards}, in order. */
    public static TokenDataset open(List<Path> shards) throws IOException {
        return open(shards, 0, -1);
    }

    /**
     * Opens tokens {@code [start, start + length)} of the concatenation of {@code shards};
     * {@code length = -1} means to the end.
     *
     * @throws CorpusException if a shard is missing or has a bad header
     * @throws IllegalArgumentException if the range is outside the shards' tokens
     */
    public static TokenDataset open(List<Path> shards, long start, long length) throws IOException {
        List<TokenShard> opened = new ArrayList<>();
        try {
            long total = 0;
            for (Path p : shards) {
                TokenShard s = TokenShard.open(p);
                opened.add(s);
                total += s.size();
            }
            long len = length < 0 ? total - start : length;
            if (start < 0 || len < 0 || start + len > total) {
                throw new IllegalArgumentException("token range [" + start + ", " + (start + len)
                        + ") outside the " + total + " tokens of " + shards);
            }
            TokenDataset d = new TokenDataset(opened, start, len);
            opened = List.of();
            return d;
        } finally {
            opened.forEach(TokenShard::close);
        }
    }

    /** Number of tokens. */
    public long size() {
        return size;
    }

    /** Token {@code i}. */
    public int get(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("token " + i + " outside [0, " + size + ")");
        }
        long g = offset + i;
        int s = shardOf(g);
        return shards.get(s).get(g - shardStart[s]);
    }

    /** Copies tokens {@code [start, start + len)} into {@code dst[off..]}, across shard boundaries. */
    public void copy(long start, int[] dst, int off, int len) {
        if (start < 0 || len < 0 || start + len > size) {
            throw new IndexOutOfBoundsException("tokens [" + start + ", " + (start + len) + ") outside [0, " + size + ")");
        }
        long g = offset + start;
        while (len > 0) {
            int s = shardOf(g);
            long inShard = g - shardStart[s];
            int n = (int) Math.min(len, shards.get(s).size() - inShard);
            shards.get(s).copy(inShard, dst, off, n);
            g += n;
            off += n;
            len -= n;
        }
    }

    private int shardOf(long g) {
        int i = Arrays.binarySearch(shardStart, g);
        if (i < 0) {
            return -i - 2;
        }
        // g starts shard i; skip empty shards that start at the same index
        while (shardStart[i + 1] == g) {
            i++;
        }
        return i;
    }

    /** Unmaps the shards. */
    @Override
    public void close() {
        shards.forEach(TokenShard::close);
    }
}
