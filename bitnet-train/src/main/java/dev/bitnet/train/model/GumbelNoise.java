package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Reproducible noise for the Gumbel-hard attention: a counter-based generator, so that every
 * draw is a pure function of a 64-bit key. DJL can neither save nor restore the engine's
 * random state, and PyTorch's CPU {@code uniform_} runs serially (about 70 ms for the 4 M
 * scores of one {@code tiny} layer); hashing a counter in Java is several times faster.
 */
final class GumbelNoise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private GumbelNoise() {
    }

    /** SplitMix64's finaliser: a bijective, well-mixing hash of {@code z}. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A key derived from two values, for one independent stream per (key, index). */
    static long key(long key, long index) {
        return mix(mix(key + GOLDEN) + index * GOLDEN);
    }

    /**
     * I.i.d. uniforms in the open interval (0, 1), {@code (k + 0.5) * 2^-23} for 23-bit
     * {@code k}, so that {@code -log(-log(u))} is always finite.
     */
    static float[] uniform(long key, int n) {
        float[] u = new float[n];
        long base = mix(key);
        int i = 0;
        for (long c = 0; i < n; c++) {
            long bits = mix(base + c * GOLDEN);
            u[i++] = ((bits >>> 41) + 0.5f) * 0x1p-23f;
            if (i < n) {
                u[i++] = (((bits >>> 9) & 0x7FFFFF) + 0.5f) * 0x1p-23f;
            }
        }
        return u;
    }

    /** {@code log(-log(U))}, i.e. minus a Gumbel(0, 1) sample, for each element of {@code shape}. */
    static NDArray negGumbel(NDManager manager, Shape shape, long key) {
        NDArray u = manager.create(uniform(key, Math.toIntExact(shape.size())), shape);
        return u.log().negi().log();
    }
}
