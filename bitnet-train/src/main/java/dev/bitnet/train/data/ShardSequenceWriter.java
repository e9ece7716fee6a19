package dev.bitnet.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a stream of documents into numbered shards ({@code shard-00000.bin}, ...) of at most
 * {@code maxTokens} tokens each, putting the separator token between documents. Shards are
 * committed atomically one by one; {@link #close()} without {@link #finish()} deletes everything
 * this writer made.
 */
final class ShardSequenceWriter implements AutoCloseable {

    private final Path dir;
    private final long maxTokens;
    private final int separator;
    private final List<Path> shards; // output: committed shards (ours) and whatever the caller adds
    private final List<Path> written = new ArrayList<>();
    private ShardWriter current;
    private boolean documentOpen;   // beginDocument() called, no token written yet
    private boolean runHasTokens;   // a separator is due before the next document

    ShardSequenceWriter(Path dir, long maxTokens, int separator, List<Path> shards) {
        this.dir = dir;
        this.maxTokens = maxTokens;
        this.separator = separator;
        this.shards = shards;
    }

    /** The next tokens start a new document (separated from the previous one if there is one). */
    void beginDocument() {
        documentOpen = true;
    }

    /** Appends tokens of the current document. */
    void add(int[] tokens) throws IOException {
        if (tokens.length == 0) {
            return;
        }
        if (documentOpen && runHasTokens) {
            put(new int[] {separator}, 1);
        }
        documentOpen = false;
        put(tokens, tokens.length);
        runHasTokens = true;
    }

    private void put(int[] tokens, int len) throws IOException {
        int off = 0;
        while (off < len) {
            if (current == null) {
                current = ShardWriter.create(dir.resolve(String.format("shard-%05d.bin", written.size())));
            }
            int n = (int) Math.min(len - off, maxTokens - current.count());
            current.add(tokens, off, n);
            off += n;
            if (current.count() == maxTokens) {
                endShard();
            }
        }
    }

    /**
     * Commits the shard being written, if any, so the caller can append a shard of its own to the
     * list; the next document starts without a separator.
     */
    void endRun() throws IOException {
        endShard();
        runHasTokens = false;
        documentOpen = false;
    }

    private void endShard() throws IOException {
        if (current != null) {
            current.commit();
            Path p = dir.resolve(String.format("shard-%05d.bin", written.size()));
            written.add(p);
            shards.add(p);
            current = null;
        }
    }

    /** Commits the last shard; the shards stay. */
    void finish() throws IOException {
        endRun();
        written.clear();
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
        for (Path p : written) {
            Files.deleteIfExists(p);
        }
    }
}
