package dev.bitnet.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token index against tables crafted to collide: the hashes are keyed per table, so tokens
 * aimed at one region of the index under a fixed hash spread out like any others.
 */
class TokenTableTest {

    /** Official SipHash-2-4 vectors (key 00..0f, message 00..len-1) for a few lengths. */
    private static final long[][] SIP24_VECTORS = {
        {0, 0x726fdb47dd0e0e31L}, {1, 0x74f839c593dc67fdL}, {7, 0xab0200f58b01d137L},
        {8, 0x93f5f5799a932462L}, {15, 0xa129ca6149be45e5L}, {16, 0x3f2acc7f57c29bdbL},
        {63, 0x958a324ceb064572L},
    };

    @Test
    void sipHash13MatchesTheReferenceConstruction() {
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        byte[] msg = new byte[100];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) i;
        }
        for (long[] v : SIP24_VECTORS) {
            assertThat(referenceSipHash(k0, k1, msg, 0, (int) v[0], 2, 4)).as("SipHash-2-4, %d bytes", v[0]).isEqualTo(v[1]);
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int len = 0; len <= 40; len++) {
            int from = r.nextInt(msg.length - len + 1);
            long a = r.nextLong();
            long b = r.nextLong();
            assertThat(TokenTable.sipHash13(a, b, msg, from, from + len)).as("%d bytes from %d", len, from)
                    .isEqualTo(referenceSipHash(a, b, msg, from, from + len, 1, 3));
        }
    }

    @Test
    void tokensCraftedToCollideUnderAFixedHashSpreadOut() {
        // The table's hashes before they were keyed: a file could aim every token at slots
        // [0, 1024) of the index, and the longest probe was then about as long as the table.
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        int mask = (1 << 16) - 1;                                // the index size for 20,256 tokens
        SplittableRandom r = new SplittableRandom(1);
        Set<String> seen = new HashSet<>();
        int crafted = 0;
        while (crafted < 20_000) {
            boolean isLong = crafted % 2 == 0;                   // both indexes: > 7 bytes and short
            byte[] t = new byte[isLong ? 8 : 7];
            r.nextBytes(t);
            boolean aimed = isLong ? (fixedHash(t) & mask) < 1024 : fixedShortSlot(t) < 1024;
            if (aimed && seen.add(Arrays.toString(t))) {
                tokens.add(t);
                crafted++;
            }
        }
        TokenTable table = new TokenTable(tokens, tokens.size());
        assertThat(table.longestProbe()).isLessThan(100);
        for (int id = 0; id < tokens.size(); id++) {
            byte[] t = tokens.get(id);
            assertThat(table.id(t, 0, t.length)).isEqualTo(id);
        }
        byte[] absent = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(table.id(absent, 0, absent.length)).isEqualTo(TokenTable.NONE);
    }

    @Test
    void eachTableHasItsOwnKeys() {
        byte[] piece = "hello world".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> tokens = List.of(piece, new byte[] {'a'});
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            hashes.add(new TokenTable(tokens, 2).hash(piece, 0, piece.length));
        }
        assertThat(hashes).hasSizeGreaterThan(1);
    }

    /** FNV-1a with a murmur3 finaliser: the unkeyed hash the table used before. */
    private static int fixedHash(byte[] a) {
        int h = 0x811C9DC5;
        for (byte b : a) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    /** The top 16 bits of the 7-byte key times the golden ratio: the short index's fixed slot before. */
    private static int fixedShortSlot(byte[] a) {
        long key = (long) a.length << 56;
        for (int i = 0; i < a.length; i++) {
            key |= (a[i] & 0xFFL) << (8 * i);
        }
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 48);
    }

    /** SipHash-c-d as the paper writes it, for checking the table's unrolled SipHash-1-3. */
    private static long referenceSipHash(long k0, long k1, byte[] a, int from, int to, int c, int d) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        int len = to - from;
        byte[] padded = new byte[(len / 8 + 1) * 8];
        System.arraycopy(a, from, padded, 0, len);
        padded[padded.length - 1] = (byte) len;
        ByteBuffer words = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < padded.length; i += 8) {
            long m = words.getLong(i);
            v[3] ^= m;
            for (int k = 0; k < c; k++) {
                sipRound(v);
            }
            v[0] ^= m;
        }
        v[2] ^= 0xFF;
        for (int k = 0; k < d; k++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
