package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;

/**
 * The forward pass written straight from MODEL.md, as plainly as possible: ±1 values as floats,
 * RMSNorm computed in full and then signed, every product a loop, attention over every allowed
 * key. Tensors come from the file through {@link Bit2File}; nothing is shared with the engine.
 * Slow, and only for checking the engine.
 */
final class ReferenceForward {

    private final Bit2File file;
    private final ModelConfig c;
    private final int window;

    /** @param window keys a query may attend over, its own included */
    ReferenceForward(Bit2File file, int window) {
        this.file = file;
        this.c = file.config();
        this.window = window;
    }

    /** Logits after every token (from an empty context). */
    float[][] logits(int[] tokens) throws Bit2FormatException {
        int n = tokens.length;
        int d = c.dModel();
        long[] embedding = file.longs(ModelLayout.EMBEDDING_BITS); // rows unpacked on demand: the gpt2 head is big
        float[] eScale = file.floats(ModelLayout.EMBEDDING_SCALE);
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] e = row(embedding, tokens[i], d);
            x[i] = new float[d];
            for (int j = 0; j < d; j++) {
                x[i][j] = e[j] * eScale[j];
            }
        }
        float[] slopes = file.floats(ModelLayout.ALIBI_SLOPES);
        for (int l = 0; l < c.nLayers(); l++) {
            float[][] hb = new float[n][];
            for (int i = 0; i < n; i++) {
                hb[i] = normSigns(x[i], file.floats(ModelLayout.tensor(l, "attn_norm", "gamma")));
            }
            float[][] q = binary(l, "attn.q", hb);
            float[][] k = binary(l, "attn.k", hb);
            float[][] v = binary(l, "attn.v", hb);
            float[][] att = new float[n][d];
            int dh = c.dHead();
            float scale = (float) (1 / Math.sqrt(dh));
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < c.nHeads(); h++) {
                    int best = -1;
                    float bestScore = 0;
                    for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                        int dot = 0;
                        for (int t = h * dh; t < (h + 1) * dh; t++) {
                            dot += (int) (q[i][t] * k[j][t]);
                        }
                        float score = (float) dot * scale - slopes[h] * (float) (i - j);
                        if (best < 0 || score > bestScore) {
                            best = j;
                            bestScore = score;
                        }
                    }
                    System.arraycopy(v[best], h * dh, att[i], h * dh, dh);
                }
            }
            addRaw(l, "attn.o", att, x);
            for (int i = 0; i < n; i++) {
                hb[i] = normSigns(x[i], file.floats(ModelLayout.tensor(l, "ffn_norm", "gamma")));
            }
            float[][] g = binary(l, "ffn.gate", hb);
            float[][] u = binary(l, "ffn.up", hb);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < g[i].length; t++) {
                    g[i][t] *= u[i][t];
                }
            }
            addRaw(l, "ffn.down", g, x);
        }
        float[][] hb = new float[n][];
        for (int i = 0; i < n; i++) {
            hb[i] = normSigns(x[i], file.floats(ModelLayout.NORM_OUT_GAMMA));
        }
        float[] alphaV = file.floats(ModelLayout.HEAD_ALPHA);
        float[] biasV = file.floats(ModelLayout.HEAD_BIAS);
        float cD = (float) (1 / Math.sqrt(d));
        float[][] logits = new float[n][c.vocabSize()];
        for (int t = 0; t < c.vocabSize(); t++) {
            float[] e = row(embedding, t, d);
            for (int i = 0; i < n; i++) {
                int s = dot(hb[i], e);
                logits[i][t] = (float) s * cD * alphaV[t] + biasV[t];
            }
        }
        return logits;
    }

    /** sign(RMSNorm(x) * gamma) as ±1: the full formula, then the spec's sign (v >= 0 is +1). */
    private static float[] normSigns(float[] x, float[] gamma) {
        double sq = 0;
        for (float v : x) {
            sq += (double) v * v;
        }
        float rms = (float) Math.sqrt(sq / x.length + BitMath.RMS_NORM_EPS);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float h = x[i] / rms * gamma[i];
            out[i] = h >= 0f ? 1f : -1f;
        }
        return out;
    }

    /** A binary layer: s = x . W[o], output +1 iff range[o][0] <= s <= range[o][1]. */
    private float[][] binary(int l, String module, float[][] in) throws Bit2FormatException {
        long[] bits = file.longs(ModelLayout.tensor(l, module, "bits"));
        int[] range = file.ints(ModelLayout.tensor(l, module, "range"));
        int cols = in[0].length;
        int rows = range.length / 2;
        float[][] out = new float[in.length][rows];
        for (int o = 0; o < rows; o++) {
            float[] w = row(bits, o, cols);
            for (int i = 0; i < in.length; i++) {
                int s = dot(in[i], w);
                out[i][o] = range[2 * o] <= s && s <= range[2 * o + 1] ? 1f : -1f;
            }
        }
        return out;
    }

    /** A raw layer added to x: y = (float)((float)(s * c_in) * alpha) + bias. */
    private void addRaw(int l, String module, float[][] in, float[][] x) throws Bit2FormatException {
        long[] bits = file.longs(ModelLayout.tensor(l, module, "bits"));
        float[] alpha = file.floats(ModelLayout.tensor(l, module, "alpha"));
        float[] bias = file.floats(ModelLayout.tensor(l, module, "bias"));
        int cols = in[0].length;
        float cIn = (float) (1 / Math.sqrt(cols));
        for (int o = 0; o < alpha.length; o++) {
            float[] w = row(bits, o, cols);
            for (int i = 0; i < in.length; i++) {
                int s = dot(in[i], w);
                float y = (float) s * cIn * alpha[o] + bias[o];
                x[i][o] += y;
            }
        }
    }

    private static int dot(float[] a, float[] b) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (int) (a[i] * b[i]);
        }
        return s;
    }

    /** Row r of a packed matrix as ±1 floats (value i is bit i % 64 of word i / 64, 1 = +1). */
    private static float[] row(long[] packed, int r, int cols) {
        int words = (cols + 63) / 64;
        float[] out = new float[cols];
        for (int i = 0; i < cols; i++) {
            long word = packed[r * words + i / 64];
            out[i] = ((word >>> (i % 64)) & 1) == 1 ? 1f : -1f;
        }
        return out;
    }
}
