package dev.bitnet.bench.floattwin;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.BitMath;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The float twin's forward pass as plain loops in double, without caches, windows, threads or
 * vectors: the reference {@link FloatTwinModel#decode} is checked against in the benchmark's
 * setup (llm.c's naive matmul beside the fast one).
 */
final class FloatTwinReference {

    private FloatTwinReference() {
    }

    /**
     * Decodes {@code tokens} from an empty model with {@link FloatTwinModel#decode} and compares
     * the last logits with {@link #lastLogits}; leaves the model reset.
     *
     * @throws IllegalStateException naming the first logit that differs by more than float rounding
     */
    static void check(FloatTwinModel m, int[] tokens) {
        m.reset();
        float[] fast = null;
        for (int t : tokens) {
            fast = m.decode(t);
        }
        double[] ref = lastLogits(m, tokens);
        m.reset();
        double scale = 1;
        for (double v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int r = 0; r < ref.length; r++) {
            // float sums in another order against double: allow rounding, never a wrong term
            if (!(Math.abs(fast[r] - ref[r]) <= 1e-3 * scale)) {
                throw new IllegalStateException("float twin " + m.config() + ": logit " + r + " after "
                        + tokens.length + " tokens is " + fast[r] + ", reference " + ref[r]);
            }
        }
    }

    /** Logits of the last of {@code tokens}, every earlier token attended over. */
    static double[] lastLogits(FloatTwinModel m, int[] tokens) {
        ModelConfig c = m.config();
        int d = c.dModel();
        int heads = c.nHeads();
        int dh = c.dHead();
        double scale = 1 / Math.sqrt(dh);
        float[] slopes = BitMath.alibiSlopes(heads);
        List<List<double[]>> keys = new ArrayList<>();
        List<List<double[]>> values = new ArrayList<>();
        for (int l = 0; l < m.layers.length; l++) {
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
        double[] x = null;
        for (int t = 0; t < tokens.length; t++) {
            x = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = m.embedding.get(FloatKernel.FLOAT, ((long) tokens[t] * d + i) * Float.BYTES) * m.embeddingScale[i];
            }
            for (int l = 0; l < m.layers.length; l++) {
                FloatTwinLayer b = m.layers[l];
                double[] h = rmsNorm(x, b.attnGamma());
                double[] q = apply(b.q(), h);
                keys.get(l).add(apply(b.k(), h));
                values.get(l).add(apply(b.v(), h));
                double[] att = new double[d];
                for (int hd = 0; hd < heads; hd++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double dot = 0;
                        for (int i = hd * dh; i < (hd + 1) * dh; i++) {
                            dot += q[i] * keys.get(l).get(j)[i];
                        }
                        s[j] = dot * scale - slopes[hd] * (double) (t - j);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int i = hd * dh; i < (hd + 1) * dh; i++) {
                            att[i] += s[j] / sum * values.get(l).get(j)[i];
                        }
                    }
                }
                add(apply(b.o(), att), x);
                h = rmsNorm(x, b.ffnGamma());
                double[] g = apply(b.gate(), h);
                double[] u = apply(b.up(), h);
                for (int i = 0; i < g.length; i++) {
                    g[i] *= u[i];
                }
                add(apply(b.down(), g), x);
            }
        }
        double[] h = rmsNorm(x, m.outGamma);
        int vocab = c.vocabSize();
        double[] logits = new double[vocab];
        for (int r = 0; r < vocab; r++) {
            logits[r] = dotRow(m.embedding, r, d, h) * m.headAlpha[r] + m.headBias[r];
        }
        return logits;
    }

    private static double[] apply(FloatLinear lin, double[] in) {
        double[] y = new double[lin.out];
        for (int r = 0; r < lin.out; r++) {
            y[r] = dotRow(lin.w, r, lin.in, in) * lin.alpha[r] + lin.bias[r];
        }
        return y;
    }

    private static double dotRow(MemorySegment w, int row, int cols, double[] in) {
        double s = 0;
        long base = (long) row * cols;
        for (int k = 0; k < cols; k++) {
            s += w.get(FloatKernel.FLOAT, (base + k) * Float.BYTES) * in[k];
        }
        return s;
    }

    private static double[] rmsNorm(double[] x, float[] gamma) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = 1 / Math.sqrt(ss / x.length + BitMath.RMS_NORM_EPS);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv * gamma[i];
        }
        return out;
    }

    private static void add(double[] from, double[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] += from[i];
        }
    }
}
