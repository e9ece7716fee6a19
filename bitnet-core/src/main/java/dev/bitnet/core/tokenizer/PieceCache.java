package dev.bitnet.core.tokenizer;

import java.util.Arrays;

/**
 * A small direct-mapped cache from short pre-tokenizer pieces to their BPE tokens: prose repeats
 * its words, and a hit saves the whole merge. Bounded ({@value #SLOTS} entries of at most
 * {@value #MAX_PIECE} bytes) and thread-safe without locks: entries are immutable records
 * (final fields, so a racing reader sees them complete), a slot write is one reference store,
 * and a lost or overwritten entry only costs a merge.
 */
final class PieceCache {

    /** Longer pieces are rare and not worth a slot. */
    static final int MAX_PIECE = 32;
    private static final int SLOTS = 4096;

    private record Entry(byte[] piece, int[] tokens) {
    }

    private final Entry[] entries = new Entry[SLOTS];

    /** The cached tokens of {@code a[from .. to)}, or null. */
    int[] get(byte[] a, int from, int to, int hash) {
        Entry e = entries[hash & (SLOTS - 1)];
        if (e != null && Arrays.equals(e.piece, 0, e.piece.length, a, from, to)) {
            return e.tokens;
        }
        return null;
    }

    /** Remembers the tokens of {@code a[from .. to)}, replacing whatever shared the slot. */
    void put(byte[] a, int from, int to, int hash, int[] tokens) {
        entries[hash & (SLOTS - 1)] = new Entry(Arrays.copyOfRange(a, from, to), tokens);
    }
}
