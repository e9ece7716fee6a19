package dev.bitnet.runtime.engine;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.sampling.Sampler;

/**
 * The forward pass of one session over a shared {@link Weights}: the per-session state (the
 * pointer-attention caches and scratch buffers) and the computation, exactly per
 * {@code MODEL.md}. Not thread-safe: one session, one caller; the {@link WorkerPool} splits
 * large products across threads.
 *
 * <p>Tokens are fed in chunks of at most {@link #CHUNK} positions; every weight row is read once
 * per chunk ({@code mismatchesBatch}), which is what makes prefill fast. Attention looks at the
 * last {@code window} keys (the query's own included), see {@code docs/runtime.md}.
 */
public final class Forward {

    /** Positions per prefill pass. */
    public static final int CHUNK = 64;
    /**
     * Fewest weight words (64 KiB) a part of a parallel region gets. A hand-off costs about a
     * microsecond, what ~5,000 words of a decode step take to stream: with 2 threads on a 2-vCPU
     * AMD EPYC, keeping 75m's attention projections (12,288 words) and output (4,096) on one
     * thread took decode from 4,000-4,100 to 4,600-5,100 tokens/s (two comparisons, each the means
     * of six alternated runs, 2026-12-06).
     */
    private static final long MIN_PART_WORDS = 8192;
    /** Positions per pass over the output head when logits of several positions are wanted. */
    private static final int HEAD_BATCH = 16;

    private final Weights weights;
    private final BitKernels kernels;
    private final WorkerPool pool;
    private final int d;          // d_model
    private final int f;          // d_ff
    private final int vocab;      // V
    private final int dw;         // words(d)
    private final int fw;         // words(F)
    private final int heads;      // H
    private final int dh;         // d_head
    private final int hw;         // words(d_head)
    private final boolean aligned; // d_head % 64 == 0: packed and per-head layouts coincide
    private final int window;     // keys a query looks at, its own included
    private final float attnScale; // (float)(1 / sqrt(d_head))

    // Pointer-attention caches, per layer, head-major: word (h * cap + slot) * hw; slot = position % cap.
    private final long[][] keys;
    private final long[][] values;
    private int cap;
    private long position;        // tokens in the caches

    // Scratch for one chunk of positions.
    private final float[] x;      // (CHUNK, d) residual stream
    private final long[] hb;      // (CHUNK, dw) norm output bits
    private final long[] q;       // (CHUNK, dw)
    private final long[] k;       // (CHUNK, dw)
    private final long[] v;       // (CHUNK, dw)
    private final long[] qh;      // (CHUNK, H * hw) queries per head (= q when aligned)
    private final long[] kh;      // (CHUNK, H * hw)
    private final long[] vh;      // (CHUNK, H * hw)
    private final long[] atth;    // (CHUNK, H * hw) chosen values per head
    private final long[] att;     // (CHUNK, dw) attention output (= atth when aligned)
    private final long[] g;       // (CHUNK, fw) gate bits, then z = XNOR(g, u)
    private final long[] u;       // (CHUNK, fw)
    private final int[] mmA;      // (CHUNK, max(d, F)) mismatch counts
    private final int[] mmB;
    private final int[] mmC;
    private int[] mmHead;         // (rows, V) head mismatches: 1 row for decoding, HEAD_BATCH for batched logits
    private final int[] partBest; // (threads) each part's largest logit, for logits(int, float[])
    private int chunk;            // positions of the last feed

    /**
     * State for one session.
     *
     * @param window keys a query attends over, its own included (>= 1)
     */
    public Forward(Weights weights, BitKernels kernels, WorkerPool pool, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("attention window must be >= 1, got " + window);
        }
        ModelConfig c = weights.config();
        this.weights = weights;
        this.kernels = kernels;
        this.pool = pool;
        this.d = c.dModel();
        this.f = c.dFf();
        this.vocab = c.vocabSize();
        this.dw = BitPacking.words(d);
        this.fw = BitPacking.words(f);
        this.heads = c.nHeads();
        this.dh = c.dHead();
        this.hw = BitPacking.words(dh);
        this.aligned = dh % 64 == 0;
        this.window = window;
        this.attnScale = BitMath.invSqrt(dh);
        this.keys = new long[c.nLayers()][];
        this.values = new long[c.nLayers()][];
        this.cap = 0;
        int hwAll = heads * hw;
        x = new float[CHUNK * d];
        hb = new long[CHUNK * dw];
        q = new long[CHUNK * dw];
        k = new long[CHUNK * dw];
        v = new long[CHUNK * dw];
        qh = aligned ? q : new long[CHUNK * hwAll];
        kh = aligned ? k : new long[CHUNK * hwAll];
        vh = aligned ? v : new long[CHUNK * hwAll];
        atth = new long[CHUNK * hwAll];
        att = aligned ? atth : new long[CHUNK * dw];
        g = new long[CHUNK * fw];
        u = new long[CHUNK * fw];
        int rows = Math.max(d, f);
        mmA = new int[CHUNK * rows];
        mmB = new int[CHUNK * rows];
        mmC = new int[CHUNK * rows];
        partBest = new int[pool.threads()];
    }

    /**
     * Heap a {@code Forward} of this model allocates at its largest, in bytes: the scratch for one
     * chunk (as the constructor allocates it), the head's scratch for {@link #HEAD_BATCH} rows, and
     * the attention caches at {@code window} (see {@link #ensureCapacity}). Kept next to the
     * allocations it adds up.
     */
    public static double memoryBytes(ModelConfig c, int window) {
        double chunk = CHUNK;
        double d = c.dModel();
        double dw = BitPacking.words(c.dModel());
        double fw = BitPacking.words(c.dFf());
        double headWords = (double) c.nHeads() * BitPacking.words(c.dHead());
        boolean aligned = c.dHead() % 64 == 0;
        double longs = chunk * (4 * dw                                 // hb, q, k, v
                        + (aligned ? 0 : 3 * headWords + dw)             // qh, kh, vh, att
                        + headWords                                      // atth
                        + 2 * fw)                                        // g, u
                + 2.0 * c.nLayers() * cacheWordsPerLayer(c, window);     // keys, values
        double ints = chunk * 3 * Math.max(d, c.dFf())                    // mmA, mmB, mmC
                + (double) HEAD_BATCH * c.vocabSize();                   // mmHead
        double floats = chunk * d;                                        // x
        return 8 * longs + 4 * ints + 4 * floats;
    }

    /** 64-bit words in one layer's key (or value) cache at its largest: window + one chunk of positions. */
    public static long cacheWordsPerLayer(ModelConfig c, int window) {
        return (long) c.nHeads() * BitPacking.words(c.dHead()) * ((long) window + CHUNK);
    }

    /** Number of tokens fed since creation or the last {@link #reset()}. */
    public long position() {
        return position;
    }

    /** Forgets every token (the caches are overwritten, not cleared). */
    public void reset() {
        position = 0;
        chunk = 0;
    }

    /**
     * Runs tokens {@code tokens[off .. off+n)} through every block at the next positions; their
     * final residuals stay available for {@link #logits} until the next feed.
     *
     * @param n 1 to {@link #CHUNK} tokens, each a valid id (checked by the caller)
     */
    public void feed(int[] tokens, int off, int n) {
        if (n < 1 || n > CHUNK) {
            throw new IllegalArgumentException("chunk must hold 1.." + CHUNK + " tokens, got " + n);
        }
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            weights.embed(tokens[off + i], x, i * d);
        }
        ModelConfig c = weights.config();
        for (int l = 0; l < c.nLayers(); l++) {
            Block b = weights.block(l);
            // Attention: x += o(pointer(q, k, v)) over binarize(RMSNorm_attn(x)).
            for (int i = 0; i < n; i++) {
                b.attnNorm().binarize(kernels, x, i * d, hb, i * dw);
            }
            binaryProducts(n, hb, b.q(), mmA, q, b.k(), mmB, k, b.v(), mmC, v);
            toHeads(n, q, qh);
            toHeads(n, k, kh);
            toHeads(n, v, vh);
            store(l, n);
            attend(l, n);
            fromHeads(n);
            rawProduct(n, att, b.o(), mmA);
            // FFN: x += down(XNOR(gate, up)) over binarize(RMSNorm_ffn(x)).
            for (int i = 0; i < n; i++) {
                b.ffnNorm().binarize(kernels, x, i * d, hb, i * dw);
            }
            binaryProducts(n, hb, b.gate(), mmA, g, b.up(), mmB, u, null, null, null);
            long lastMask = BitPacking.lastWordMask(f);
            for (int i = 0; i < n; i++) {
                for (int w = 0; w < fw; w++) {
                    g[i * fw + w] = ~(g[i * fw + w] ^ u[i * fw + w]);
                }
                g[i * fw + fw - 1] &= lastMask;
            }
            rawProduct(n, g, b.down(), mmA);
        }
        position += n;
        chunk = n;
    }

    /**
     * Logits of position {@code i} of the last feed into {@code out} (length V), and the index of
     * the largest one ({@link Sampler#argmax(float[])}'s choice),
     * found by the threads that computed each part, so greedy decoding needs no serial pass.
     */
    public int logits(int i, float[] out) {
        requireFed(i, 1);
        weights.normOut().binarize(kernels, x, i * d, hb, 0);
        int[] mm = headScratch(1);
        int parts = parts((long) vocab * dw);
        int[] best = partBest;
        pool.run(parts, p -> {
            int start = rowStart(p, parts, vocab);
            int end = rowStart(p + 1, parts, vocab);
            kernels.mismatches(weights.head(), dw, start, end, hb, mm);
            weights.logits(kernels, mm, 0, start, end, out);
            best[p] = kernels.argmax(out, start, end);
        });
        int b = -1;
        for (int p = 0; p < parts; p++) { // parts in row order: a strict win keeps the smallest index
            if (best[p] >= 0 && (b < 0 || Sampler.ranksAbove(out[best[p]], out[b]))) {
                b = best[p];
            }
        }
        return b;
    }

    /** Logits of positions {@code [from, from+count)} of the last feed into {@code out[0..count)}, batched over the head. */
    public void logits(int from, int count, float[][] out) {
        requireFed(from, count);
        int[] mm = headScratch(Math.min(count, HEAD_BATCH));
        for (int b0 = 0; b0 < count; b0 += HEAD_BATCH) {
            int n = Math.min(HEAD_BATCH, count - b0);
            for (int i = 0; i < n; i++) {
                weights.normOut().binarize(kernels, x, (from + b0 + i) * d, hb, i * dw);
            }
            int first = b0;
            int parts = parts((long) n * vocab * dw);
            pool.run(parts, p -> {
                int start = rowStart(p, parts, vocab);
                int end = rowStart(p + 1, parts, vocab);
                kernels.mismatchesBatch(weights.head(), dw, start, end, hb, n, mm, vocab);
                for (int i = 0; i < n; i++) {
                    weights.logits(kernels, mm, i * vocab, start, end, out[first + i]);
                }
            });
        }
    }

    private void requireFed(int from, int count) {
        if (from < 0 || count < 1 || from + count > chunk) {
            throw new IllegalStateException("positions [" + from + ", " + (from + count) + ") not in the last feed of "
                    + chunk + " tokens");
        }
    }

    private int[] headScratch(int rows) {
        if (mmHead == null || mmHead.length < rows * vocab) {
            mmHead = new int[rows * vocab];
        }
        return mmHead;
    }

    /** Up to three binary layers over the same n inputs, in one parallel region split by rows. */
    private void binaryProducts(int n, long[] in, BinaryLayer l1, int[] mm1, long[] out1,
                                BinaryLayer l2, int[] mm2, long[] out2, BinaryLayer l3, int[] mm3, long[] out3) {
        long words = (long) n * (l1.out() * l1.rowWords() + l2.out() * l2.rowWords()
                + (l3 == null ? 0 : l3.out() * l3.rowWords()));
        int parts = parts(words);
        pool.run(parts, p -> {
            binaryPart(n, in, l1, mm1, out1, p, parts);
            binaryPart(n, in, l2, mm2, out2, p, parts);
            if (l3 != null) {
                binaryPart(n, in, l3, mm3, out3, p, parts);
            }
        });
    }

    private void binaryPart(int n, long[] in, BinaryLayer layer, int[] mm, long[] out, int p, int parts) {
        int rows = layer.out();
        int start = rowStart(p, parts, rows);
        int end = rowStart(p + 1, parts, rows);
        if (start >= end) {
            return;
        }
        int outWords = BitPacking.words(rows);
        if (n == 1) {
            kernels.mismatches(layer.bits(), layer.rowWords(), start, end, in, mm);
        } else {
            kernels.mismatchesBatch(layer.bits(), layer.rowWords(), start, end, in, n, mm, rows);
        }
        for (int i = 0; i < n; i++) {
            layer.outputBits(kernels, mm, i * rows, start, end, out, i * outWords);
        }
    }

    /** {@code x += layer(in)} for n inputs, split by rows. */
    private void rawProduct(int n, long[] in, RawLayer layer, int[] mm) {
        int parts = parts((long) n * layer.out() * layer.rowWords());
        int rows = layer.out();
        pool.run(parts, p -> {
            int start = rowStart(p, parts, rows);
            int end = rowStart(p + 1, parts, rows);
            if (start >= end) {
                return;
            }
            if (n == 1) {
                kernels.mismatches(layer.bits(), layer.rowWords(), start, end, in, mm);
            } else {
                kernels.mismatchesBatch(layer.bits(), layer.rowWords(), start, end, in, n, mm, rows);
            }
            for (int i = 0; i < n; i++) {
                layer.addOutput(kernels, mm, i * rows, start, end, x, i * d);
            }
        });
    }

    /**
     * Parts of a row-split region over {@code words} 64-bit weight words (all inputs counted): one
     * per thread, but none under {@link #MIN_PART_WORDS}, so a small product runs on fewer threads
     * or on the caller alone. Parts are claimed, so a thread that comes late finds its part taken;
     * two parts per thread (so that a thread that lost its CPU would hold up less) measured slower
     * on 75m with 2 threads on a 2-vCPU AMD EPYC.
     */
    private int parts(long words) {
        return (int) Math.max(1, Math.min(pool.threads(), words / MIN_PART_WORDS));
    }

    /** First row of part p of `parts`, on a 64-row boundary so parts never share an output word. */
    private static int rowStart(int p, int parts, int rows) {
        int blocks = (rows + 63) >>> 6;
        return Math.min(rows, (int) ((long) blocks * p / parts) << 6);
    }

    private void toHeads(int n, long[] packed, long[] perHead) {
        if (aligned) {
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                HeadBits.extract(packed, i * dw, h * dh, dh, perHead, (i * heads + h) * hw);
            }
        }
    }

    private void fromHeads(int n) {
        if (aligned) {
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                HeadBits.insert(atth, (i * heads + h) * hw, dh, att, i * dw, h * dh);
            }
        }
    }

    /** Writes the chunk's keys and values into the caches of layer l. */
    private void store(int l, int n) {
        long[] kc = keys[l];
        long[] vc = values[l];
        for (int i = 0; i < n; i++) {
            int slot = (int) ((position + i) % cap);
            for (int h = 0; h < heads; h++) {
                int src = (i * heads + h) * hw;
                int dst = (h * cap + slot) * hw;
                System.arraycopy(kh, src, kc, dst, hw);
                System.arraycopy(vh, src, vc, dst, hw);
            }
        }
    }

    /**
     * Pointer attention for the chunk's queries: per head, the key with the highest
     * {@code (float)(dot * scale) - (float)(m_h * (float)(i - j))}, ties to the smallest j
     * ({@link BitKernels#bestSlot}); its value bits are the head's output. Items (position, head) are
     * dealt round-robin to the threads because heads with small slopes scan much further back
     * than the others.
     */
    private void attend(int l, int n) {
        long[] kc = keys[l];
        long[] vc = values[l];
        int items = n * heads;
        // One token's attention is a few microseconds (the scan stops early): not worth a region.
        int parts = n == 1 ? 1 : Math.min(pool.threads(), items);
        pool.run(parts, p -> {
            for (int item = p; item < items; item += parts) {
                int i = item / heads;
                int h = item - i * heads;
                long query = position + i;
                int slot = kernels.bestSlot(kc, cap, h, qh, (i * heads + h) * hw, dh, attnScale,
                        weights.alibiSlope(h), window, query);
                System.arraycopy(vc, (h * cap + slot) * hw, atth, (i * heads + h) * hw, hw);
            }
        });
    }

    /** Grows the caches (doubling, up to window + CHUNK slots) so that n more tokens fit. */
    private void ensureCapacity(int n) {
        int max = window + CHUNK;
        long need = Math.min(position + n, max);
        if (need <= cap) {
            return;
        }
        // Before reaching `max` the caches never wrap: slot == position, so growing keeps slots.
        int newCap = (int) Math.min(max, Math.max(need, 2L * cap));
        for (int l = 0; l < keys.length; l++) {
            keys[l] = grow(keys[l], newCap);
            values[l] = grow(values[l], newCap);
        }
        cap = newCap;
    }

    private long[] grow(long[] old, int newCap) {
        long[] fresh = new long[Math.multiplyExact(heads * hw, newCap)];
        if (old != null) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(old, h * cap * hw, fresh, h * newCap * hw, (int) position * hw);
            }
        }
        return fresh;
    }

    /** Bytes of attention cache this session holds now. */
    public long cacheBytes() {
        return 2L * keys.length * heads * hw * (long) cap * Long.BYTES;
    }
}
