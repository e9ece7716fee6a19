package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reproducible noise for the Gumbel-hard attention, drawn where the scores live. Every draw is a
 * pure function of a 64-bit key, which the trainer derives from (seed, update, layer, micro-batch):
 * DJL can neither save nor restore the engine's random state, so a resumed run must be able to
 * draw the same noise again from the key alone.
 *
 * <ul>
 *   <li><b>CPU</b>: a counter-based hash in Java ({@link #uniform}), written into a reusable direct
 *       buffer that PyTorch reads in place. PyTorch's CPU {@code uniform_} runs serially (about 70 ms
 *       for the 4 M scores of one {@code tiny} layer); the hash is several times faster, and
 *       {@code create(float[])} would copy 16 MB per {@code tiny} layer.</li>
 *   <li><b>GPU</b>: PyTorch's own generator on the device (Philox), restarted from the key before each
 *       draw. No bulk host-to-device traffic: the host hash copied 3.2 GB per {@code 75m} update.
 *       The values depend on the GPU kind (the kernel's launch shape), so a run is reproducible on
 *       the same kind of device, and CPU and GPU runs draw different noise.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per attention block, used by its forward. The GPU draw reseeds
 * the engine's global generator ({@code torch::manual_seed}), so other random draws of the process
 * made during training are a function of the last key too.
 */
final class GumbelNoise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** The uniform behind the noise of masked keys (see {@link #hostCausal}). */
    private static final float MASKED = 0.5f;
    /** The smallest uniform drawn on a device: above 0, so that both logs stay finite. */
    private static final float DEVICE_LOW = 0x1p-24f;
    /** The host buffer's default size limit: a larger draw is made in chunks of whole rows. */
    private static final int CHUNK_BYTES = 1 << 28;

    private final int chunkBytes;
    private ByteBuffer scratch;
    /** The layout of the last chunk drawn on the host: its masked entries still hold {@link #MASKED}. */
    private Layout lastLayout;

    /** A host chunk: {@code rows} rows of length {@code t}, the first being query {@code firstQuery}. */
    private record Layout(int t, int rows, int firstQuery) {
    }

    GumbelNoise() {
        this(CHUNK_BYTES);
    }

    /** With host chunks of at most {@code chunkBytes} (or one row): tests use small ones. */
    GumbelNoise(int chunkBytes) {
        this.chunkBytes = chunkBytes;
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
     * {@code log(-log(U))}, i.e. minus a Gumbel(0, 1) sample, for causal scores of shape
     * {@code (..., T, T)} on {@code manager}'s device, as a function of {@code key} (and, on a GPU,
     * of the GPU kind). Only entries {@code (..., i, j)} with {@code j <= i} are noise; the others
     * are finite values that the masked scores' -inf absorbs.
     */
    NDArray causalNegGumbel(NDManager manager, Shape shape, long key) {
        return manager.getDevice().isGpu() ? generatorNegGumbel(manager, shape, key) : hostCausal(manager, shape, key);
    }

    /**
     * The device draw: {@code U} uniform in {@code [2^-24, 1)} from the engine's generator on
     * {@code manager}'s device, restarted at {@code key}. Every entry is drawn (on a GPU, skipping
     * the masked half would cost more than it saves).
     */
    static NDArray generatorNegGumbel(NDManager manager, Shape shape, long key) {
        JniUtils.setSeed(mix(key));
        try (NDArray u = manager.randomUniform(DEVICE_LOW, 1f, shape, DataType.FLOAT32); NDArray logU = u.log()) {
            return logU.negi().log();
        }
    }

    /**
     * The host draw: element {@code (..., i, j)} for {@code j <= i} is the element of
     * {@link #uniform} at the same flat index. Only half the scores need noise, so half is
     * drawn: keys {@code j > i} get {@code U = 1/2}. Not 0: PyTorch's {@code log} takes a slow path
     * on 0 and infinity, which made the two logs here 10x slower (48 ms instead of 8 for a
     * {@code tiny} layer). Draws over 256 MiB are made in chunks of rows and
     * concatenated: the same values, in buffers whose size an {@code int} holds.
     */
    NDArray hostCausal(NDManager manager, Shape shape, long key) {
        int t = Math.toIntExact(shape.get(shape.dimension() - 1));
        long rows = shape.size() / t;
        int chunkRows = (int) Math.min(rows, Math.max(1, chunkBytes / Float.BYTES / t));
        if (chunkRows == rows) {
            try (NDArray flat = hostChunk(manager, key, 0, chunkRows, t)) {
                return flat.reshape(shape);
            }
        }
        try (NDList chunks = new NDList()) {
            for (long first = 0; first < rows; first += chunkRows) {
                chunks.add(hostChunk(manager, key, first, (int) Math.min(chunkRows, rows - first), t));
            }
            return NDArrays.concat(chunks).reshape(shape);
        }
    }

    /** {@code log(-log(U))} of rows {@code first .. first + n - 1} of the flattened draw, {@code (n, t)}. */
    private NDArray hostChunk(NDManager manager, long key, long first, int n, int t) {
        int bytes = Math.multiplyExact(n * t, Float.BYTES);           // at most chunkBytes, or one row
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = manager.allocateDirect(bytes);
            lastLayout = null;
        }
        // The masked entries are the same for every draw of one layout: write them once.
        Layout layout = new Layout(t, n, (int) (first % t));
        boolean fillMasked = !layout.equals(lastLayout);
        lastLayout = layout;
        FloatBuffer u = scratch.asFloatBuffer();
        long base = mix(key);
        for (int r = 0; r < n; r++) {
            long row = first + r;
            long rowStart = row * t;                                 // flat index of (row, 0) in the draw
            int start = r * t;                                       // the same in the buffer
            int end = start + (int) (row % t) + 1;                   // keys 0..i of query i
            for (int j = end; fillMasked && j < start + t; j++) {
                u.put(j, MASKED);
            }
            for (long pair = rowStart >>> 1; 2 * pair < rowStart + (end - start); pair++) { // one hash, two uniforms
                long bits = mix(base + pair * GOLDEN);
                long even = 2 * pair;
                if (even >= rowStart) {
                    u.put(start + (int) (even - rowStart), first(bits));
                }
                if (even + 1 < rowStart + (end - start)) {
                    u.put(start + (int) (even + 1 - rowStart), second(bits));
                }
            }
        }
        // On the CPU the array reads the buffer in place; it is closed before the buffer is reused.
        try (NDArray uniforms = manager.create(scratch.slice(0, bytes).order(ByteOrder.nativeOrder()),
                new Shape(n, t), DataType.FLOAT32); NDArray logU = uniforms.log()) {
            return logU.negi().log();
        }
    }
}
