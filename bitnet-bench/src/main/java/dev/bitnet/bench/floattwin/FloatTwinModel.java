package dev.bitnet.bench.floattwin;

import dev.bitnet.bench.kernel.FloatMatVec;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.runtime.engine.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * The float twin of {@code MODEL.md} ("Float ablation") at a config's shapes, decoding one token
 * at a time: the 1-bit model's architecture with float32 weights and activations and no sign
 * anywhere. Tied embedding and head, RMSNorm with gains, q/k/v/o projections, softmax attention
 * with ALiBi and {@code 1/sqrt(d_head)} over a float K/V cache, FFN {@code down(gate(h) * up(h))},
 * final norm, head {@code (E h) * alpha_v + b_v}.
 *
 * <p>Weights are seeded {@code N(0, 0.02^2)} in off-heap segments (one per matrix): the 1-bit
 * runtime maps its model file, so neither side's weights are on the GC heap and both run with
 * the same {@code -Xmx}. Large products are split by rows into one part per thread on the
 * runtime's persistent {@link WorkerPool}; attention runs on the caller (a few microseconds at
 * these contexts). Attention looks at the last {@code window} keys, its own included, like the
 * runtime's attention window. Not thread-safe: one caller.
 */
public final class FloatTwinModel implements AutoCloseable {

    private final ModelConfig config;
    private final Arena arena;
    private final WorkerPool pool;
    private final int d;
    private final int f;
    private final int vocab;
    private final int heads;
    private final int dh;
    private final int window;
    private final float attnScale;   // (float)(1 / sqrt(d_head))
    private final float[] slopes;    // ALiBi m_h (H)

    final MemorySegment embedding;   // (V, d) tied E
    final float[] embeddingScale;    // (d)
    final float[] headAlpha;         // (V)
    final float[] headBias;          // (V)
    final FloatTwinLayer[] layers;   // (L)
    final float[] outGamma;          // (d) final RMSNorm gain

    // K/V caches per layer, head-major rings: floats (h * window + slot) * dh.
    private final float[][] keys;
    private final float[][] values;
    private long position;

    // Scratch for one position.
    private final float[] x;       // (d) residual stream
    private final float[] h;       // (d) norm output
    private final float[] q;       // (d)
    private final float[] k;       // (d)
    private final float[] v;       // (d)
    private final float[] att;     // (d) attention output
    private final float[] proj;    // (d) o / down output
    private final float[] g;       // (F) gate, then g * u
    private final float[] u;       // (F)
    private final float[] scores;  // (window)
    private final float[] logits;  // (V)

    private FloatTwinModel(ModelConfig c, long seed, int threads, int window) {
        if (threads < 1 || threads > 2) {
            throw new IllegalArgumentException("threads must be 1 or 2, got " + threads);
        }
        if (window < 1) {
            throw new IllegalArgumentException("attention window must be >= 1, got " + window);
        }
        this.config = c;
        this.d = c.dModel();
        this.f = c.dFf();
        this.vocab = c.vocabSize();
        this.heads = c.nHeads();
        this.dh = c.dHead();
        this.window = window;
        this.attnScale = BitMath.invSqrt(dh);
        this.slopes = BitMath.alibiSlopes(heads);
        this.arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(seed);
        // GPT-2 init as the spec's twin: residual projections scaled by 1/sqrt(2L), head alpha_v = 1.
        float residual = (float) (1 / Math.sqrt(2.0 * c.nLayers()));
        this.embedding = FloatLinear.gaussian(arena, (long) vocab * d, rnd);
        this.embeddingScale = ones(d);
        this.headAlpha = ones(vocab);
        this.headBias = new float[vocab];
        this.layers = new FloatTwinLayer[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new FloatTwinLayer(ones(d),
                    FloatLinear.random(arena, d, d, 1f, rnd), FloatLinear.random(arena, d, d, 1f, rnd),
                    FloatLinear.random(arena, d, d, 1f, rnd), FloatLinear.random(arena, d, d, residual, rnd),
                    ones(d),
                    FloatLinear.random(arena, f, d, 1f, rnd), FloatLinear.random(arena, f, d, 1f, rnd),
                    FloatLinear.random(arena, d, f, residual, rnd));
        }
        this.outGamma = ones(d);
        this.keys = new float[layers.length][heads * window * dh];
        this.values = new float[layers.length][heads * window * dh];
        this.pool = new WorkerPool(threads);
        x = new float[d];
        h = new float[d];
        q = new float[d];
        k = new float[d];
        v = new float[d];
        att = new float[d];
        proj = new float[d];
        g = new float[f];
        u = new float[f];
        scores = new float[window];
        logits = new float[vocab];
    }

    /**
     * A seeded random twin of {@code config}'s shapes.
     *
     * @param threads 1 or 2
     * @param window  keys each query attends over, its own included (>= 1)
     */
    public static FloatTwinModel random(ModelConfig config, long seed, int threads, int window) {
        return new FloatTwinModel(config, seed, threads, window);
    }

    /** The shapes. */
    public ModelConfig config() {
        return config;
    }

    /** Tokens decoded since creation or the last {@link #reset()}. */
    public long position() {
        return position;
    }

    /** Forgets every token. */
    public void reset() {
        position = 0;
    }

    /**
     * Fills the K/V caches with seeded random floats as if {@code tokens} tokens had been
     * decoded, so that a benchmark measures decoding at a long context without decoding the
     * whole context first (one token reads every weight). Attention costs the same whatever the
     * cached values are.
     */
    public void fillCaches(long tokens, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 0; l < layers.length; l++) {
            for (int i = 0; i < keys[l].length; i++) {
                keys[l][i] = (float) rnd.nextGaussian();
                values[l][i] = (float) rnd.nextGaussian();
            }
        }
        position = tokens;
    }

    /** Bytes of all float32 parameters (the twin's model size). */
    public long weightBytes() {
        long bytes = embedding.byteSize() + (long) Float.BYTES * (embeddingScale.length + 2L * vocab + d);
        for (FloatTwinLayer l : layers) {
            bytes += l.bytes();
        }
        return bytes;
    }

    /**
     * Runs {@code token} at the next position and returns its logits (length V, overwritten by
     * the next call).
     *
     * @throws IllegalArgumentException if the token is outside the vocabulary
     */
    public float[] decode(int token) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " outside the vocabulary [0, " + vocab + ")");
        }
        long eRow = (long) token * d * Float.BYTES;
        for (int i = 0; i < d; i++) {
            x[i] = embedding.get(FloatKernel.FLOAT, eRow + (long) i * Float.BYTES) * embeddingScale[i];
        }
        int slot = (int) (position % window);
        int reach = (int) Math.min(position + 1, window);
        for (int l = 0; l < layers.length; l++) {
            FloatTwinLayer b = layers[l];
            // Attention: x += o(softmax attention(q, k, v)) over RMSNorm_attn(x).
            rmsNorm(x, b.attnGamma(), h);
            parallel(p -> {
                b.q().apply(h, q, rowStart(p, d), rowStart(p + 1, d));
                b.k().apply(h, k, rowStart(p, d), rowStart(p + 1, d));
                b.v().apply(h, v, rowStart(p, d), rowStart(p + 1, d));
            });
            float[] kc = keys[l];
            float[] vc = values[l];
            for (int hd = 0; hd < heads; hd++) {
                int base = hd * window * dh;
                System.arraycopy(k, hd * dh, kc, base + slot * dh, dh);
                System.arraycopy(v, hd * dh, vc, base + slot * dh, dh);
                SoftmaxAttention.attend(q, hd * dh, kc, vc, base, window, dh, slot, reach, slopes[hd], attnScale,
                        scores, att, hd * dh);
            }
            parallel(p -> b.o().apply(att, proj, rowStart(p, d), rowStart(p + 1, d)));
            add(proj, x);
            // FFN: x += down(gate(h) * up(h)) over RMSNorm_ffn(x); no activation in the twin.
            rmsNorm(x, b.ffnGamma(), h);
            parallel(p -> {
                int from = rowStart(p, f);
                int to = rowStart(p + 1, f);
                b.gate().apply(h, g, from, to);
                b.up().apply(h, u, from, to);
                for (int r = from; r < to; r++) {
                    g[r] *= u[r];
                }
            });
            parallel(p -> b.down().apply(g, proj, rowStart(p, d), rowStart(p + 1, d)));
            add(proj, x);
        }
        rmsNorm(x, outGamma, h);
        parallel(p -> {
            int from = rowStart(p, vocab);
            int to = rowStart(p + 1, vocab);
            FloatMatVec.matVec(embedding, d, from, to, h, logits);
            for (int r = from; r < to; r++) {
                logits[r] = logits[r] * headAlpha[r] + headBias[r];
            }
        });
        position++;
        return logits;
    }

    /** The token with the largest logit (the smallest such id on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private void parallel(IntConsumer part) {
        pool.run(pool.threads(), part);
    }

    /** First row of part p of one part per thread, on a 4-row boundary (the kernel's row block). */
    private int rowStart(int p, int rows) {
        int blocks = (rows + 3) >>> 2;
        return Math.min(rows, (blocks * p / pool.threads()) << 2);
    }

    private static void rmsNorm(float[] in, float[] gamma, float[] out) {
        float ss = FloatKernel.dot(in, 0, in, 0, in.length);
        float inv = (float) (1 / Math.sqrt(ss / in.length + BitMath.RMS_NORM_EPS));
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * inv * gamma[i];
        }
    }

    private static void add(float[] from, float[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] += from[i];
        }
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }

    /** Frees the weights and stops the worker threads. */
    @Override
    public void close() {
        pool.close();
        arena.close();
    }
}
