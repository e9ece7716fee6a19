package dev.bitnet.core.tokenizer;

import java.util.Arrays;

/**
 * tiktoken's byte-pair merge for one encode call: each piece starts as single bytes and the
 * adjacent pair with the lowest rank is merged (the leftmost one on a tie) until no pair is a
 * token. A piece that is a token as a whole is emitted directly, as tiktoken does; short pieces
 * are looked up in the tokenizer's {@link PieceCache} first. Pieces use tiktoken's linear scan,
 * long ones a heap, so that a megabyte of spaces is not quadratic; both give the same merges. Holds scratch arrays and the output: one instance per call, never
 * shared between threads.
 */
final class BytePairEncoder {

    /** Pieces at least this long use the heap: the linear scan is O(n^2). */
    static final int HEAP_THRESHOLD = 128;

    private static final int NO_RANK = Integer.MAX_VALUE;

    private final TokenTable table;
    private final PieceCache cache;
    private int[] out;
    private int size;

    // Linear scan: parts[k] = start of part k, ranks[k] = rank of merging parts k and k+1.
    private int[] parts = new int[64];
    private int[] ranks = new int[64];

    BytePairEncoder(TokenTable table, PieceCache cache, int expectedTokens) {
        this.table = table;
        this.cache = cache;
        this.out = new int[Math.max(16, expectedTokens)];
    }

    /** The tokens emitted so far. */
    int[] result() {
        return Arrays.copyOf(out, size);
    }

    /** Encodes {@code a[from .. to)} (one pre-tokenizer piece) and appends its tokens. */
    void piece(byte[] a, int from, int to) {
        int whole = table.id(a, from, to);
        if (whole != TokenTable.NONE) {
            emit(whole);
        } else if (to - from <= PieceCache.MAX_PIECE) {
            int hash = table.hash(a, from, to);
            int[] cached = cache.get(a, from, to, hash);
            if (cached != null) {
                for (int t : cached) {
                    emit(t);
                }
            } else {
                int first = size;
                mergeLinear(a, from, to);
                cache.put(a, from, to, hash, Arrays.copyOfRange(out, first, size));
            }
        } else if (to - from < HEAP_THRESHOLD) {
            mergeLinear(a, from, to);
        } else {
            mergeWithHeap(a, from, to);
        }
    }

    private void mergeLinear(byte[] a, int from, int to) {
        int n = to - from;
        if (parts.length < n + 1) {
            parts = new int[n + 1];
            ranks = new int[n + 1];
        }
        for (int k = 0; k < n; k++) {
            parts[k] = from + k;
            ranks[k] = k + 2 <= n ? rank(a, from + k, from + k + 2) : NO_RANK;
        }
        parts[n] = to;
        int count = n;                                // parts[0 .. count) are live, parts[count] = to
        while (count > 1) {
            int best = NO_RANK;
            int at = -1;
            for (int k = 0; k < count - 1; k++) {
                if (ranks[k] < best) {
                    best = ranks[k];
                    at = k;
                }
            }
            if (at < 0) {
                break;
            }
            // Merge parts at and at+1; the pairs around the merged part change.
            System.arraycopy(parts, at + 2, parts, at + 1, count - at - 1);
            System.arraycopy(ranks, at + 2, ranks, at + 1, count - at - 2);
            count--;
            ranks[at] = at + 2 <= count ? rank(a, parts[at], parts[at + 2]) : NO_RANK;
            if (at > 0) {
                ranks[at - 1] = rank(a, parts[at - 1], parts[at + 1]);
            }
        }
        for (int k = 0; k < count; k++) {
            emit(table.id(a, parts[k], parts[k + 1]));
        }
    }

    private void mergeWithHeap(byte[] a, int from, int to) {
        int n = to - from;
        // Parts are identified by their start offset p (relative to from); next[p] is the next
        // part's start (n for the last), prev[p] the previous one's; pairRank[p] is the rank of
        // merging part p with its successor, or NO_RANK; dead[p] once p was merged into prev.
        int[] next = new int[n + 1];
        int[] prev = new int[n + 1];
        int[] pairRank = new int[n];
        boolean[] dead = new boolean[n];
        LongHeap heap = new LongHeap(2 * n);
        for (int p = 0; p < n; p++) {
            next[p] = p + 1;
            prev[p + 1] = p;
            pairRank[p] = p + 2 <= n ? rank(a, from + p, from + p + 2) : NO_RANK;
            if (pairRank[p] != NO_RANK) {
                heap.push(key(pairRank[p], p));
            }
        }
        while (!heap.isEmpty()) {
            long k = heap.pop();
            int r = (int) (k >>> 32);
            int p = (int) k;
            if (dead[p] || pairRank[p] != r) {
                continue;                             // stale: the pair at p changed since
            }
            int q = next[p];
            int after = next[q];
            dead[q] = true;
            next[p] = after;
            prev[after] = p;
            pairRank[p] = after < n ? rank(a, from + p, from + next[after]) : NO_RANK;
            if (pairRank[p] != NO_RANK) {
                heap.push(key(pairRank[p], p));
            }
            if (p > 0) {
                int b = prev[p];
                pairRank[b] = rank(a, from + b, from + after);
                if (pairRank[b] != NO_RANK) {
                    heap.push(key(pairRank[b], b));
                }
            }
        }
        for (int p = 0; p < n; p = next[p]) {
            emit(table.id(a, from + p, from + next[p]));
        }
    }

    /** Orders by rank, then by position: the leftmost lowest-rank pair comes first. */
    private static long key(int rank, int position) {
        return (long) rank << 32 | position;
    }

    private int rank(byte[] a, int from, int to) {
        int id = table.id(a, from, to);
        return id == TokenTable.NONE ? NO_RANK : id;
    }

    private void emit(int token) {
        if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = token;
    }
}
