package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reproducible noise for the Gumbel-hard attention: a counter-based generator, so that every
 * draw is a pure function of a 64-bit key. DJL can neither save nor restore the engine's
 * random state, and PyTorch's CPU {@code uniform_} runs serially (about 70 ms for the 4 M
 * scores of one {@code tiny} layer); hashing a counter in Java is several times faster.
 *
 * <p>An instance owns a reusable direct buffer that the uniforms are hashed into and that
 * PyTorch reads in place: {@code create(float[])} would copy 16 MB per {@code tiny} layer, and a
 * new direct buffer per draw would hold native memory until the next garbage collection. Not
 * thread-safe: one instance per attention block, used by its forward.
 */
final class GumbelNoise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** The uniform behind the noise of masked keys (see {@link #causalNegGumbel}). */
    private static final float MASKED = 0.5f;

    private ByteBuffer scratch;
    /** The shape of the last draw: its masked entries still hold {@link #MASKED}. */
    private Shape lastShape;

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
        for (int pair = 0; 2 * pair < n; pair++) {                 // one hash, two uniforms
            long bits = mix(base + pair * GOLDEN);
            u[2 * pair] = first(bits);
            if (2 * pair + 1 < n) {
                u[2 * pair + 1] = second(bits);
            }
        }
        return u;
    }

    /** The first of the two uniforms one hash gives: its top 23 bits. */
    private static float first(long bits) {
        return ((bits >>> 41) + 0.5f) * 0x1p-23f;
    }

    /** The second of the two uniforms one hash gives: its bits 9-31. */
    private static float second(long bits) {
        return (((bits >>> 9) & 0x7FFFFF) + 0.5f) * 0x1p-23f;
    }

    /**
     * {@code log(-log(U))}, i.e. minus a Gumbel(0, 1) sample, for the causal scores
     * {@code (..., T, T)}: element {@code (..., i, j)} for {@code j <= i} is the element of
     * {@link #uniform} at the same flat index. Only half the scores need noise, so half is
     * drawn: keys {@code j > i} get {@code U = 1/2}, a finite value that the masked score's -inf
     * absorbs. Not 0: PyTorch's {@code log} takes a slow path on 0 and infinity, which made the
     * two logs here 10x slower (48 ms instead of 8 for a {@code tiny} layer).
     */
    NDArray causalNegGumbel(NDManager manager, Shape shape, long key) {
        int t = Math.toIntExact(shape.get(shape.dimension() - 1));
        int rows = Math.toIntExact(shape.size() / t);
        int bytes = Math.multiplyExact(Math.toIntExact(shape.size()), Float.BYTES);
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = manager.allocateDirect(bytes);
            lastShape = null;
        }
        // The masked entries are the same for every draw of one shape: write them once.
        boolean fillMasked = !shape.equals(lastShape);
        lastShape = shape;
        FloatBuffer u = scratch.asFloatBuffer();
        long base = mix(key);
        for (int r = 0; r < rows; r++) {
            int start = r * t;
            int end = start + r % t + 1;                             // keys 0..i of query i
            for (int j = end; fillMasked && j < start + t; j++) {
                u.put(j, MASKED);
            }
            for (int pair = start >>> 1; 2 * pair < end; pair++) {  // one hash, two uniforms
                long bits = mix(base + pair * GOLDEN);
                int even = 2 * pair;
                if (even >= start) {
                    u.put(even, first(bits));
                }
                if (even + 1 < end) {
                    u.put(even + 1, second(bits));
                }
            }
        }
        // On the CPU the array reads the buffer in place; it is closed before the buffer is reused.
        try (NDArray uniforms = manager.create(scratch.slice(0, bytes).order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32)) {
            return uniforms.log().negi().log();
        }
    }
}
