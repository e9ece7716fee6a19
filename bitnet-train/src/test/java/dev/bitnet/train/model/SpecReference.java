package dev.bitnet.train.model;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;

import java.util.Map;

/**
 * {@code MODEL.md}'s evaluation-mode forward in plain Java float arithmetic, one rounding per
 * operation, straight from the spec's formulas: the yardstick for {@link BitLM}'s eval forward.
 */
final class SpecReference {

    private final ModelConfig c;
    private final Map<String, float[]> p;

    /** @param params every parameter by its {@link BitLM#namedParameters()} name, row-major */
    SpecReference(ModelConfig config, Map<String, float[]> params) {
        this.c = config;
        this.p = params;
    }

    /** Logits {@code (T, V)}, row-major, of one sequence. */
    float[] logits(int[] tokens) {
        int t = tokens.length;
        int d = c.dModel();
        float[] e = p.get("embedding.weight");
        float[] eScale = p.get("embedding.scale");
        float[][] x = new float[t][d];
        for (int i = 0; i < t; i++) {
            for (int col = 0; col < d; col++) {
                x[i][col] = sign(e[tokens[i] * d + col]) * eScale[col];
            }
        }
        for (int l = 0; l < c.nLayers(); l++) {
            String pre = "layers." + l + ".";
            float[][] hb = binarize(x, p.get(pre + "attn_norm.gamma"));
            float[][] q = binaryLinear(hb, pre + "attn.q", d, d);
            float[][] k = binaryLinear(hb, pre + "attn.k", d, d);
            float[][] v = binaryLinear(hb, pre + "attn.v", d, d);
            add(x, rawLinear(pointer(q, k, v), pre + "attn.o", d, d));
            hb = binarize(x, p.get(pre + "ffn_norm.gamma"));
            float[][] g = binaryLinear(hb, pre + "ffn.gate", d, c.dFf());
            float[][] u = binaryLinear(hb, pre + "ffn.up", d, c.dFf());
            for (int i = 0; i < t; i++) {
                for (int f = 0; f < c.dFf(); f++) {
                    g[i][f] *= u[i][f];
                }
            }
            add(x, rawLinear(g, pre + "ffn.down", c.dFf(), d));
        }
        float[][] hb = binarize(x, p.get("norm_out.gamma"));
        int vocab = c.vocabSize();
        float scale = BitMath.invSqrt(d);
        float[] alphaV = p.get("head.alpha");
        float[] bV = p.get("head.bias");
        float[] out = new float[t * vocab];
        for (int i = 0; i < t; i++) {
            for (int tok = 0; tok < vocab; tok++) {
                int s = 0;
                for (int col = 0; col < d; col++) {
                    s += (int) (hb[i][col] * sign(e[tok * d + col]));
                }
                out[i * vocab + tok] = ((s * scale) * alphaV[tok]) + bV[tok];
            }
        }
        return out;
    }

    private float[][] pointer(float[][] q, float[][] k, float[][] v) {
        int t = q.length;
        int h = c.nHeads();
        int dh = c.dHead();
        float[] slopes = BitMath.alibiSlopes(h);
        float scale = BitMath.invSqrt(dh);
        float[][] out = new float[t][c.dModel()];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < t; i++) {
                int best = 0;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    int dot = 0;
                    for (int col = head * dh; col < (head + 1) * dh; col++) {
                        dot += (int) (q[i][col] * k[j][col]);
                    }
                    float score = (dot * scale) - (slopes[head] * (float) (i - j));
                    if (score > bestScore) {
                        bestScore = score;
                        best = j;
                    }
                }
                System.arraycopy(v[best], head * dh, out[i], head * dh, dh);
            }
        }
        return out;
    }

    /** Spec: bit i is +1 iff {@code x_i == 0 || gamma_i == 0 || (x_i > 0) == (gamma_i > 0)}. */
    private static float[][] binarize(float[][] x, float[] gamma) {
        float[][] out = new float[x.length][gamma.length];
        for (int i = 0; i < x.length; i++) {
            for (int col = 0; col < gamma.length; col++) {
                float v = x[i][col];
                boolean plus = v == 0f || gamma[col] == 0f || (v > 0f) == (gamma[col] > 0f);
                out[i][col] = plus ? 1f : -1f;
            }
        }
        return out;
    }

    private float[][] binaryLinear(float[][] x, String name, int in, int outDim) {
        float[] alpha = p.get(name + ".alpha");
        float[] theta = p.get(name + ".theta");
        float[][] s = products(x, p.get(name + ".weight"), in, outDim);
        float cIn = BitMath.invSqrt(in);
        for (float[] row : s) {
            for (int o = 0; o < outDim; o++) {
                row[o] = sign(((row[o] * cIn) * alpha[o]) - theta[o]);
            }
        }
        return s;
    }

    private float[][] rawLinear(float[][] x, String name, int in, int outDim) {
        float[] alpha = p.get(name + ".alpha");
        float[] bias = p.get(name + ".bias");
        float[][] s = products(x, p.get(name + ".weight"), in, outDim);
        float cIn = BitMath.invSqrt(in);
        for (float[] row : s) {
            for (int o = 0; o < outDim; o++) {
                row[o] = ((row[o] * cIn) * alpha[o]) + bias[o];
            }
        }
        return s;
    }

    /** Exact integer products {@code x @ sign(W)^T} of ±1 rows, as floats. */
    private static float[][] products(float[][] x, float[] w, int in, int outDim) {
        float[][] s = new float[x.length][outDim];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < outDim; o++) {
                int acc = 0;
                for (int col = 0; col < in; col++) {
                    acc += (int) (x[i][col] * sign(w[o * in + col]));
                }
                s[i][o] = acc;
            }
        }
        return s;
    }

    private static void add(float[][] x, float[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int col = 0; col < x[i].length; col++) {
                x[i][col] += y[i][col];
            }
        }
    }

    private static float sign(float v) {
        return v >= 0f ? 1f : -1f;
    }
}
