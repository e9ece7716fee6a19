package dev.bitnet.bench.floattwin;

import dev.bitnet.bench.kernel.FloatMatVec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One float32 projection of the twin, {@code y = (W x) * alpha + b}: the trainer's float
 * ablation of a BitLinear (no sign, no {@code 1/sqrt(in)}). {@code W} is row-major
 * {@code (out, in)} in an off-heap little-endian segment, like a mapped model file.
 */
final class FloatLinear {

    final MemorySegment w;  // (out, in)
    final float[] alpha;    // (out)
    final float[] bias;     // (out): -theta for the layers the 1-bit model thresholds
    final int out;
    final int in;

    private FloatLinear(MemorySegment w, float[] alpha, float[] bias, int out, int in) {
        this.w = w;
        this.alpha = alpha;
        this.bias = bias;
        this.out = out;
        this.in = in;
    }

    /** {@code W ~ N(0, 0.02^2)}, {@code alpha} constant, {@code b = 0} (the spec's GPT-2 init). */
    static FloatLinear random(Arena arena, int out, int in, float alpha, SplittableRandom rnd) {
        MemorySegment w = gaussian(arena, (long) out * in, rnd);
        float[] a = new float[out];
        Arrays.fill(a, alpha);
        return new FloatLinear(w, a, new float[out], out, in);
    }

    /** {@code n} floats drawn from {@code N(0, 0.02^2)} into a new 64-byte-aligned segment. */
    static MemorySegment gaussian(Arena arena, long n, SplittableRandom rnd) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        float[] chunk = new float[1 << 16];
        for (long i = 0; i < n; i += chunk.length) {
            int len = (int) Math.min(chunk.length, n - i);
            for (int k = 0; k < len; k++) {
                chunk[k] = (float) rnd.nextGaussian() * 0.02f;
            }
            MemorySegment.copy(chunk, 0, s, FloatKernel.FLOAT, i * Float.BYTES, len);
        }
        return s;
    }

    /** Rows {@code [from, to)} of {@code y = (W x) * alpha + b}. */
    void apply(float[] x, float[] y, int from, int to) {
        FloatMatVec.matVec(w, in, from, to, x, y);
        for (int r = from; r < to; r++) {
            y[r] = y[r] * alpha[r] + bias[r];
        }
    }

    /** Bytes of the parameters: W, alpha and b. */
    long bytes() {
        return ((long) out * in + 2L * out) * Float.BYTES;
    }
}
