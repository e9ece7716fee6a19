package dev.bitnet.core.tokenizer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The byte strings of a vocabulary, packed into one array, with an open-addressing hash index
 * from byte ranges to ids. Lookups read straight from the caller's buffer, so the BPE inner
 * loop allocates nothing. Immutable after construction.
 *
 * <p>The table comes from the model file, so its tokens may be chosen to collide: with a fixed
 * hash, 50,000 tokens aimed at one region of the index made building it 130x slower (linear
 * probing turns a cluster quadratic). Both hashes are therefore keyed with random values drawn
 * per table: SipHash-1-3 for byte strings, and a random odd multiplier (multiply-shift, a
 * universal family) for the short tokens packed into a long. Without the keys a file cannot
 * aim its tokens; where a token lands changes speed only, never a result.
 */
final class TokenTable {

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final SecureRandom KEYS = new SecureRandom();

    /** Returned by {@link #id} for a byte range that is not a token. */
    static final int NONE = -1;

    private final byte[] pool;     // bytes of every token, id order
    private final int[] offsets;   // token i is pool[offsets[i] .. offsets[i+1])
    private final int[] slots;     // hash index over the indexed ids; NONE = empty
    private final int mask;
    private final int maxLength;   // longest indexed token, a cheap early reject
    private final long k0;         // SipHash key of hash()
    private final long k1;

    // Most lookups are of a few bytes (BPE pairs): those tokens also sit in a table keyed by the
    // bytes packed into a long, which needs no byte loop to compare. 0 marks an empty slot.
    private static final int SHORT = 7;
    private final int[] pairIds;   // two-byte tokens by (b0 << 8 | b1), the start of every merge
    private final long[] shortKeys;
    private final int[] shortIds;
    private final int shortShift;
    private final long shortMultiplier; // random and odd

    /**
     * Packs all tokens; indexes the first {@code indexed} of them for {@link #id}. Throws
     * {@link IllegalArgumentException} naming both ids if two indexed tokens have the same bytes.
     */
    TokenTable(List<byte[]> tokens, int indexed) {
        k0 = KEYS.nextLong();
        k1 = KEYS.nextLong();
        shortMultiplier = KEYS.nextLong() | 1;
        int n = tokens.size();
        offsets = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += tokens.get(i).length;
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("vocabulary holds more than 2 GB of token bytes");
            }
            offsets[i + 1] = (int) total;
        }
        pool = new byte[(int) total];
        for (int i = 0; i < n; i++) {
            byte[] t = tokens.get(i);
            System.arraycopy(t, 0, pool, offsets[i], t.length);
        }
        int capacity = Integer.highestOneBit(Math.max(4, indexed) * 2 - 1) * 2; // load factor <= 1/2
        slots = new int[capacity];
        Arrays.fill(slots, NONE);
        mask = capacity - 1;
        int longest = 0;
        for (int id = 0; id < indexed; id++) {
            int from = offsets[id];
            int to = offsets[id + 1];
            longest = Math.max(longest, to - from);
            int slot = hash(pool, from, to) & mask;
            while (slots[slot] != NONE) {
                int other = slots[slot];
                if (sameBytes(other, pool, from, to)) {
                    throw new IllegalArgumentException("token " + id + " has the same bytes as token " + other
                            + ": " + hex(pool, from, to));
                }
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
        }
        maxLength = longest;
        pairIds = new int[1 << 16];
        Arrays.fill(pairIds, NONE);
        shortKeys = new long[capacity];
        shortIds = new int[capacity];
        shortShift = 64 - Integer.numberOfTrailingZeros(capacity);
        for (int id = 0; id < indexed; id++) {
            int from = offsets[id];
            int to = offsets[id + 1];
            if (to - from == 2) {
                pairIds[(pool[from] & 0xFF) << 8 | pool[from + 1] & 0xFF] = id;
            }
            if (to - from <= SHORT) {
                long key = shortKey(pool, from, to);
                int slot = shortSlot(key);
                while (shortKeys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                shortKeys[slot] = key;
                shortIds[slot] = id;
            }
        }
    }

    /** Number of tokens held (indexed or not). */
    int size() {
        return offsets.length - 1;
    }

    /** The id whose bytes are exactly {@code a[from .. to)}, or {@link #NONE}. */
    int id(byte[] a, int from, int to) {
        if (to - from == 2) {
            return pairIds[(a[from] & 0xFF) << 8 | a[from + 1] & 0xFF];
        }
        if (to == from) {
            return NONE;
        }
        if (to - from <= SHORT) {
            long key = shortKey(a, from, to);
            int slot = shortSlot(key);
            while (true) {
                long k = shortKeys[slot];
                if (k == key) {
                    return shortIds[slot];
                }
                if (k == 0) {
                    return NONE;
                }
                slot = (slot + 1) & mask;
            }
        }
        if (to - from > maxLength) {
            return NONE;
        }
        int slot = hash(a, from, to) & mask;
        while (true) {
            int id = slots[slot];
            if (id == NONE || sameBytes(id, a, from, to)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The most slots any lookup of an indexed token probes, in either index: about log n for
     * well-spread tokens, n for tokens that all collide. For tests and diagnostics.
     */
    int longestProbe() {
        int longest = 0;
        for (int slot = 0; slot <= mask; slot++) {
            int id = slots[slot];
            if (id != NONE) {
                int home = hash(pool, offsets[id], offsets[id + 1]) & mask;
                longest = Math.max(longest, (slot - home & mask) + 1);
            }
            if (shortKeys[slot] != 0) {
                longest = Math.max(longest, (slot - shortSlot(shortKeys[slot]) & mask) + 1);
            }
        }
        return longest;
    }

    /** Length in bytes of token {@code id}. */
    int length(int id) {
        return offsets[id + 1] - offsets[id];
    }

    /** Copies token {@code id}'s bytes to {@code dst} at {@code dstOff}; returns the new offset. */
    int copyTo(int id, byte[] dst, int dstOff) {
        int len = offsets[id + 1] - offsets[id];
        System.arraycopy(pool, offsets[id], dst, dstOff, len);
        return dstOff + len;
    }

    /** A fresh copy of token {@code id}'s bytes. */
    byte[] bytes(int id) {
        return Arrays.copyOfRange(pool, offsets[id], offsets[id + 1]);
    }

    private boolean sameBytes(int id, byte[] a, int from, int to) {
        int start = offsets[id];
        int end = offsets[id + 1];
        return end - start == to - from && Arrays.equals(pool, start, end, a, from, to);
    }

    /** Up to 7 bytes in the low 56 bits, the length in the top byte (so never 0 for a token). */
    private static long shortKey(byte[] a, int from, int to) {
        int len = to - from;
        long key = (long) len << 56;
        if (from + Long.BYTES <= a.length) {               // one load instead of a byte loop
            return key | (long) LITTLE_ENDIAN_LONG.get(a, from) & (1L << (len << 3)) - 1;
        }
        for (int i = from, shift = 0; i < to; i++, shift += 8) {
            key |= (a[i] & 0xFFL) << shift;
        }
        return key;
    }

    private int shortSlot(long key) {
        return (int) ((key * shortMultiplier) >>> shortShift);
    }

    /** The keyed hash of {@code a[from .. to)} that the table and the {@link PieceCache} slot on. */
    int hash(byte[] a, int from, int to) {
        return (int) sipHash13(k0, k1, a, from, to);
    }

    /**
     * SipHash-1-3 (Aumasson and Bernstein; Rust's default hasher) of {@code a[from .. to)}
     * under the key {@code (k0, k1)}: one round per 8-byte word, three to finish.
     */
    static long sipHash13(long k0, long k1, byte[] a, int from, int to) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int len = to - from;
        int words = len >>> 3;
        long last = (long) len << 56;                     // the tail bytes and the length
        for (int i = from + (words << 3), shift = 0; i < to; i++, shift += 8) {
            last |= (a[i] & 0xFFL) << shift;
        }
        // Steps 0..words-1 absorb the words, step `words` the last one, the 3 after finish.
        for (int step = 0; step < words + 4; step++) {
            long m = 0;
            if (step < words) {
                m = (long) LITTLE_ENDIAN_LONG.get(a, from + (step << 3));
            } else if (step == words) {
                m = last;
            } else if (step == words + 1) {
                v2 ^= 0xFF;
            }
            v3 ^= m;
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    static String hex(byte[] a, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("%02x", a[i] & 0xFF));
        }
        return sb.toString();
    }
}
