package dev.bitnet.core.model;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.Bit2Writer;
import dev.bitnet.core.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random-weight models with every tensor of {@link ModelLayout}: for testing and
 * benchmarking the runtime before (or without) a trained model. The values are chosen so that
 * activations stay in a sensible range and the runtime's edge cases occur: binary outputs are
 * roughly balanced, a few alphas are negative (reversed thresholds), about 3% of norm gains are
 * negative and one per norm is exactly 0.
 */
public final class RandomModel {

    /** Fraction of binary-layer alphas made negative. */
    private static final double NEGATIVE_ALPHA = 0.02;
    /** Fraction of RMSNorm gains made negative. */
    private static final double NEGATIVE_GAMMA = 0.03;

    private RandomModel() {
    }

    /**
     * Writes a seeded random-weight model of this config (the tokenizer must match
     * {@code config.tokenizer()}). The same seed gives the same tensors; the metadata records
     * {@code source=random}, the seed and the creation time.
     *
     * @throws IllegalArgumentException if the tokenizer does not match the config
     */
    public static void write(ModelConfig config, Tokenizer tokenizer, long seed, Path out) throws Bit2FormatException {
        Bit2Writer w = new Bit2Writer(config, tokenizer);
        w.putMetadata("source", "random");
        w.putMetadata("seed", Long.toString(seed));
        w.putMetadata("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (TensorSpec t : ModelLayout.tensors(config)) {
            add(w, config, t, rnd);
        }
        w.write(out);
    }

    private static void add(Bit2Writer w, ModelConfig c, TensorSpec t, SplittableRandom rnd) {
        String name = t.name();
        long[] shape = t.shape();
        int n = (int) shape[0];
        if (name.endsWith(".bits")) {
            w.addBits(name, n, (int) shape[1], randomBits(n, (int) shape[1], rnd));
        } else if (name.endsWith(".range")) {
            w.addI32(name, ranges(n, ModelLayout.inputWidth(c, module(name)), rnd), shape);
        } else if (name.endsWith(".gamma")) {
            w.addF32(name, gamma(n, rnd), shape);
        } else if (name.equals(ModelLayout.EMBEDDING_SCALE)) {
            w.addF32(name, gaussian(n, 1f, 0.1f, rnd), shape);
        } else if (name.equals(ModelLayout.ALIBI_SLOPES)) {
            w.addF32(name, BitMath.alibiSlopes(c.nHeads()), shape);
        } else if (name.equals(ModelLayout.HEAD_ALPHA)) {
            float[] a = new float[n];
            Arrays.fill(a, BitMath.invSqrt(c.dModel()));
            w.addF32(name, a, shape);
        } else if (name.endsWith(".alpha")) {
            float scale = (float) (1 / Math.sqrt(2.0 * c.nLayers()));
            float[] a = gaussian(n, 1f, 0.1f, rnd);
            for (int i = 0; i < n; i++) {
                a[i] *= scale;
            }
            w.addF32(name, a, shape);
        } else if (name.endsWith(".bias")) {
            w.addF32(name, gaussian(n, 0f, 0.01f, rnd), shape);
        } else {
            throw new IllegalStateException("RandomModel has no rule for tensor " + t);
        }
    }

    /** {@code layers.3.ffn.gate.range} -> {@code ffn.gate}. */
    private static String module(String name) {
        String rest = name.substring(name.indexOf('.', "layers.".length()) + 1);
        return rest.substring(0, rest.lastIndexOf('.'));
    }

    private static long[] randomBits(int rows, int cols, SplittableRandom rnd) {
        int words = BitPacking.words(cols);
        long mask = BitPacking.lastWordMask(cols);
        long[] bits = new long[Math.multiplyExact(rows, words)];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < words; k++) {
                bits[r * words + k] = rnd.nextLong();
            }
            bits[r * words + words - 1] &= mask;
        }
        return bits;
    }

    /**
     * Folded ranges for alpha ~ 1 + 0.25 N (a few negated) and theta ~ 0.5 N: with random ±1
     * inputs {@code s * c_in} is about N(0, 1), so the outputs are roughly balanced.
     */
    private static int[] ranges(int rows, int in, SplittableRandom rnd) {
        int[] out = new int[rows * 2];
        for (int o = 0; o < rows; o++) {
            float alpha = (float) (1 + 0.25 * rnd.nextGaussian());
            if (rnd.nextDouble() < NEGATIVE_ALPHA) {
                alpha = -alpha;
            }
            float theta = (float) (0.5 * rnd.nextGaussian());
            int[] r = ThresholdFolding.fold(alpha, theta, in);
            out[2 * o] = r[0];
            out[2 * o + 1] = r[1];
        }
        return out;
    }

    /** 1 + 0.1 N, about 3% negated, one exact 0. */
    private static float[] gamma(int n, SplittableRandom rnd) {
        float[] g = gaussian(n, 1f, 0.1f, rnd);
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < NEGATIVE_GAMMA) {
                g[i] = -g[i];
            }
        }
        g[rnd.nextInt(n)] = 0f;
        return g;
    }

    private static float[] gaussian(int n, float mean, float std, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return v;
    }
}
