package dev.bitnet.train.data;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Encodes text pieces on all cores and writes their tokens in input order, so the shards are the
 * same whatever the number of threads. Pieces are batched to about {@code batchChars} chars per
 * task; at most two tasks per thread are in flight, which bounds memory.
 */
final class ParallelEncoder implements AutoCloseable {

    private record Piece(String text, boolean newDocument) {}

    private final DocumentEncoder encoder;
    private final ShardSequenceWriter out;
    private final int threads;
    private final int batchChars;
    private final ExecutorService pool;
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private List<Piece> batch = new ArrayList<>();
    private long queuedChars;

    private record Batch(List<Piece> pieces, Future<int[][]> tokens) {}

    ParallelEncoder(DocumentEncoder encoder, ShardSequenceWriter out, int threads, int batchChars) {
        this.encoder = encoder;
        this.out = out;
        this.threads = threads;
        this.batchChars = batchChars;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "corpus-encoder");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Queues {@code text}; {@code newDocument} if it starts a document (else it continues the last one). */
    void add(String text, boolean newDocument) throws IOException {
        batch.add(new Piece(text, newDocument));
        queuedChars += text.length();
        if (queuedChars >= batchChars) {
            submit();
        }
    }

    /** Encodes and writes everything queued. */
    void flush() throws IOException {
        submit();
        while (!inFlight.isEmpty()) {
            write(inFlight.poll());
        }
    }

    private void submit() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<Piece> pieces = batch;
        batch = new ArrayList<>();
        queuedChars = 0;
        if (pool == null) {
            write(pieces, encode(pieces));
            return;
        }
        inFlight.add(new Batch(pieces, pool.submit(() -> encode(pieces))));
        if (inFlight.size() >= 2 * threads) {
            write(inFlight.poll());
        }
    }

    private int[][] encode(List<Piece> pieces) {
        int[][] tokens = new int[pieces.size()][];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = encoder.encode(pieces.get(i).text());
        }
        return tokens;
    }

    private void write(Batch b) throws IOException {
        int[][] tokens;
        try {
            tokens = b.tokens().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while tokenizing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("tokenizer failed", e.getCause());
        }
        write(b.pieces(), tokens);
    }

    private void write(List<Piece> pieces, int[][] tokens) throws IOException {
        for (int i = 0; i < tokens.length; i++) {
            if (pieces.get(i).newDocument()) {
                out.beginDocument();
            }
            out.add(tokens[i]);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
