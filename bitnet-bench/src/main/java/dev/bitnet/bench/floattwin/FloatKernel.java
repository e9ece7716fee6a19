package dev.bitnet.bench.floattwin;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float twin's vector helpers beside {@code kernel.FloatMatVec} (its matrix-vector product).
 */
final class FloatKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private FloatKernel() {
    }

    /** {@code a[aOff..aOff+n) . b[bOff..bOff+n)}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        int k = 0;
        for (; k < upper; k += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + k).fma(FloatVector.fromArray(SPECIES, b, bOff + k), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; k < n; k++) {
            s += a[aOff + k] * b[bOff + k];
        }
        return s;
    }

    /** {@code y[yOff..yOff+n) += a * x[xOff..xOff+n)}. */
    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int upper = SPECIES.loopBound(n);
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        int k = 0;
        for (; k < upper; k += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + k).fma(av, FloatVector.fromArray(SPECIES, y, yOff + k))
                    .intoArray(y, yOff + k);
        }
        for (; k < n; k++) {
            y[yOff + k] += a * x[xOff + k];
        }
    }
}
