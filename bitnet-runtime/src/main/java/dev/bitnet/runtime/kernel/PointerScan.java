package dev.bitnet.runtime.kernel;

/**
 * Pointer attention of one query in one head, the scalar reference of
 * {@link BitKernels#bestSlot}: the cached key
 * with the highest {@code (float)(dot * scale) - (float)(m_h * (float)(i - j))}, ties to the
 * smallest position j, over the last {@code window} keys (the query's own included).
 *
 * <p>Keys are scanned nearest first, and the scan stops once even a perfect match ({@code
 * d_head * scale - m_h * distance}) could not reach the best score so far: float rounding is
 * monotone, so the bound is exact and the result is the full scan's. Heads with large slopes
 * look back only a few dozen positions.
 *
 * <p>The caches are rings of {@code cap} slots per head, head-major: the key of head h in slot s
 * starts at word {@code (h * cap + s) * words(d_head)}, and position p sits in slot {@code p % cap}.
 * The caller guarantees that the window's positions are in the ring ({@code cap >= window}) and
 * that every array index is valid; nothing is checked here (hot path, no allocation).
 */
public final class PointerScan {

    private PointerScan() {
    }

    /**
     * The slot of the key that query position {@code query} points to in head {@code h}.
     *
     * @param keys   one layer's key cache, head-major rings of {@code cap} slots
     * @param cap    slots per head
     * @param h      the head
     * @param q      packed ±1 queries
     * @param qOff   first word of this head's query in {@code q}
     * @param dh     d_head, bits per key
     * @param scale  {@code (float)(1 / sqrt(d_head))}, as {@code BitMath.invSqrt}
     * @param slope  the head's stored ALiBi slope m_h
     * @param window keys a query looks at, its own included
     * @param query  absolute position of the query; its own key is already cached
     * @return the winning key's slot
     */
    public static int bestSlot(long[] keys, int cap, int h, long[] q, int qOff, int dh, float scale, float slope,
                               int window, long query) {
        int hw = (dh + 63) >>> 6;                         // words per key
        float maxDot = dh * scale;                        // the largest first term of a score
        int reach = (int) Math.min(query, window - 1);    // farthest distance looked at
        int headBase = h * cap;
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        // Nearest key first: the ALiBi term only grows with distance, so once even a perfect
        // match this far back (maxDot - m * dist) scores below the best, nothing farther can win.
        // Farther keys win ties (smallest j), hence ">=" and the strict "<" in the cut-off.
        int slot = (int) (query % cap);
        for (int dist = 0; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float penalty = slope * (float) dist;
            if (slope >= 0f && maxDot - penalty < best) {
                break;
            }
            int kOff = (headBase + slot) * hw;
            int mismatches = 0;
            for (int w = 0; w < hw; w++) {
                mismatches += Long.bitCount(q[qOff + w] ^ keys[kOff + w]);
            }
            int dot = dh - 2 * mismatches;
            float score = dot * scale - penalty;
            if (score >= best) {
                best = score;
                bestSlot = slot;
            }
        }
        return bestSlot;
    }
}
