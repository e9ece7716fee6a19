package dev.bitnet.bench.attention;

import dev.bitnet.core.model.BitMath;

/**
 * One head's pointer attention for one query, as the runtime computes it
 * ({@code dev.bitnet.runtime.engine.Forward#pointer}, private there): the cached key with the
 * highest {@code (float)(dot * scale) - (float)(m_h * dist)}, ties to the smallest position j,
 * over a ring of {@code cap} slots per head holding {@code hw} words per key (head-major:
 * word {@code (h * cap + slot) * hw}). Two scans: {@link #full} looks at every key of the window;
 * {@link #earlyExit} is the runtime's, stopping once even a perfect match farther back would lose.
 */
final class PointerScan {

    private final int cap;        // slots per head
    private final int dh;         // d_head
    private final int hw;         // words(d_head)
    private final int window;     // keys a query looks at, its own included
    private final float scale;    // (float)(1 / sqrt(d_head))
    private final float maxDot;   // (float)(d_head * scale): the largest first term of a score

    PointerScan(int cap, int dh, int window) {
        this.cap = cap;
        this.dh = dh;
        this.hw = (dh + 63) >>> 6;
        this.window = window;
        this.scale = BitMath.invSqrt(dh);
        this.maxDot = dh * scale;
    }

    /** The slot query {@code query} (absolute position) of head h points to, every key in the window scored. */
    int full(long[] kc, long[] q, int qOff, int h, float m, long query) {
        int reach = (int) Math.min(query, window - 1);
        int headBase = h * cap;
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (query % cap);
        for (int dist = 0; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float penalty = m * (float) dist;
            float score = dot(kc, (headBase + slot) * hw, q, qOff) * scale - penalty;
            if (score >= best) { // nearest first: ">=" moves ties to the farther key, the smallest j
                best = score;
                bestSlot = slot;
            }
        }
        return bestSlot;
    }

    /** The same slot as {@link #full}, with the runtime's cut-off. */
    int earlyExit(long[] kc, long[] q, int qOff, int h, float m, long query) {
        int reach = (int) Math.min(query, window - 1);
        int headBase = h * cap;
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (query % cap);
        for (int dist = 0; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float penalty = m * (float) dist;
            // The ALiBi term only grows with distance: once a perfect match this far back scores
            // below the best, nothing farther can win (strict "<": a tie would still win).
            if (m >= 0f && maxDot - penalty < best) {
                break;
            }
            float score = dot(kc, (headBase + slot) * hw, q, qOff) * scale - penalty;
            if (score >= best) {
                best = score;
                bestSlot = slot;
            }
        }
        return bestSlot;
    }

    /** Keys {@link #earlyExit} scores before it stops (for reporting how far it looks). */
    int scanned(long[] kc, long[] q, int qOff, int h, float m, long query) {
        int reach = (int) Math.min(query, window - 1);
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (query % cap);
        int dist = 0;
        for (; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float penalty = m * (float) dist;
            if (m >= 0f && maxDot - penalty < best) {
                break;
            }
            best = Math.max(best, dot(kc, (h * cap + slot) * hw, q, qOff) * scale - penalty);
        }
        return dist;
    }

    // q . k for ±1 vectors of d_head bits: d_head - 2 * mismatches
    private int dot(long[] kc, int kOff, long[] q, int qOff) {
        int mismatches = 0;
        for (int w = 0; w < hw; w++) {
            mismatches += Long.bitCount(q[qOff + w] ^ kc[kOff + w]);
        }
        return dh - 2 * mismatches;
    }
}
