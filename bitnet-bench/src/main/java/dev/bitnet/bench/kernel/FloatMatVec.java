package dev.bitnet.bench.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 baseline the 1-bit kernels are measured against: {@code out[r] = W[r] . x} with
 * {@code W} row-major float32 in an off-heap little-endian segment. Built like the binary
 * kernel (four rows share each activation load, lane-wise accumulators reduced once per row,
 * scalar tail) and uses FMA, so it is a fair "good float kernel", not a straw man. The float
 * twin ({@code floattwin}) uses it too, over row ranges that a pool splits.
 */
public final class FloatMatVec {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private FloatMatVec() {
    }

    /** {@code out[r] = W[r] . x} for rows {@code [from, to)} of row-major little-endian {@code w} ({@code cols} floats a row). */
    public static void matVec(MemorySegment w, int cols, int from, int to, float[] x, float[] out) {
        long rowBytes = (long) cols * Float.BYTES;
        int upper = SPECIES.loopBound(cols);
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long o0 = r * rowBytes;
            long o1 = o0 + rowBytes;
            long o2 = o1 + rowBytes;
            long o3 = o2 + rowBytes;
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k < upper; k += LANES) {
                FloatVector xv = FloatVector.fromArray(SPECIES, x, k);
                long b = (long) k * Float.BYTES;
                acc0 = FloatVector.fromMemorySegment(SPECIES, w, o0 + b, LE).fma(xv, acc0);
                acc1 = FloatVector.fromMemorySegment(SPECIES, w, o1 + b, LE).fma(xv, acc1);
                acc2 = FloatVector.fromMemorySegment(SPECIES, w, o2 + b, LE).fma(xv, acc2);
                acc3 = FloatVector.fromMemorySegment(SPECIES, w, o3 + b, LE).fma(xv, acc3);
            }
            float s0 = acc0.reduceLanes(VectorOperators.ADD);
            float s1 = acc1.reduceLanes(VectorOperators.ADD);
            float s2 = acc2.reduceLanes(VectorOperators.ADD);
            float s3 = acc3.reduceLanes(VectorOperators.ADD);
            for (; k < cols; k++) {
                long b = (long) k * Float.BYTES;
                s0 += w.get(FLOAT, o0 + b) * x[k];
                s1 += w.get(FLOAT, o1 + b) * x[k];
                s2 += w.get(FLOAT, o2 + b) * x[k];
                s3 += w.get(FLOAT, o3 + b) * x[k];
            }
            out[r] = s0;
            out[r + 1] = s1;
            out[r + 2] = s2;
            out[r + 3] = s3;
        }
        for (; r < to; r++) {
            long o = r * rowBytes;
            FloatVector acc = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k < upper; k += LANES) {
                acc = FloatVector.fromMemorySegment(SPECIES, w, o + (long) k * Float.BYTES, LE)
                        .fma(FloatVector.fromArray(SPECIES, x, k), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; k < cols; k++) {
                s += w.get(FLOAT, o + (long) k * Float.BYTES) * x[k];
            }
            out[r] = s;
        }
    }

    /** Plain loop in double, to check {@link #matVec} in the benchmark's setup. */
    static void reference(MemorySegment w, int rows, int cols, float[] x, double[] out) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < cols; k++) {
                s += (double) w.get(FLOAT, ((long) r * cols + k) * Float.BYTES) * x[k];
            }
            out[r] = s;
        }
    }
}
