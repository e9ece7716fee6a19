package dev.bitnet.bench.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The yardstick of the runtime's kernels: a plain Vector API XOR + {@code BIT_COUNT} loop over a
 * row-major heap copy of the same bits, four rows per pass sharing each input vector, one lane
 * reduction per row and a scalar tail ({@code KERNEL-FACTS}: 0.68 T binary MAC/s at 2048 x 2048
 * on an AVX-512 VPOPCNTDQ EPYC). The vector width is the JVM's preferred one: run with
 * {@code -XX:MaxVectorSize=16} or {@code 32} for 128- and 256-bit vectors.
 */
final class PlainLoop {

    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long[] w;
    private final int rows;
    private final int rowWords;

    /** A heap copy of a row-major {@code rows x rowWords} matrix. */
    PlainLoop(MemorySegment rowMajor, int rows, int rowWords) {
        this.w = new long[rows * rowWords];
        MemorySegment.copy(rowMajor, WORD, 0, w, 0, w.length);
        this.rows = rows;
        this.rowWords = rowWords;
    }

    /** {@code out[outOff + r] = popcount(W[r] XOR x[xOff ..])} for every row. */
    void mismatches(long[] x, int xOff, int[] out, int outOff) {
        int bound = rowWords - rowWords % LANES;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = r * rowWords;
            int o1 = o0 + rowWords;
            int o2 = o1 + rowWords;
            int o3 = o2 + rowWords;
            LongVector a0 = LongVector.zero(SPECIES);
            LongVector a1 = LongVector.zero(SPECIES);
            LongVector a2 = LongVector.zero(SPECIES);
            LongVector a3 = LongVector.zero(SPECIES);
            for (int k = 0; k < bound; k += LANES) {
                LongVector xv = LongVector.fromArray(SPECIES, x, xOff + k);
                a0 = a0.add(LongVector.fromArray(SPECIES, w, o0 + k).lanewise(VectorOperators.XOR, xv)
                        .lanewise(VectorOperators.BIT_COUNT));
                a1 = a1.add(LongVector.fromArray(SPECIES, w, o1 + k).lanewise(VectorOperators.XOR, xv)
                        .lanewise(VectorOperators.BIT_COUNT));
                a2 = a2.add(LongVector.fromArray(SPECIES, w, o2 + k).lanewise(VectorOperators.XOR, xv)
                        .lanewise(VectorOperators.BIT_COUNT));
                a3 = a3.add(LongVector.fromArray(SPECIES, w, o3 + k).lanewise(VectorOperators.XOR, xv)
                        .lanewise(VectorOperators.BIT_COUNT));
            }
            out[outOff + r] = (int) a0.reduceLanes(VectorOperators.ADD) + tail(o0, bound, x, xOff);
            out[outOff + r + 1] = (int) a1.reduceLanes(VectorOperators.ADD) + tail(o1, bound, x, xOff);
            out[outOff + r + 2] = (int) a2.reduceLanes(VectorOperators.ADD) + tail(o2, bound, x, xOff);
            out[outOff + r + 3] = (int) a3.reduceLanes(VectorOperators.ADD) + tail(o3, bound, x, xOff);
        }
        for (; r < rows; r++) {
            out[outOff + r] = tail(r * rowWords, 0, x, xOff);
        }
    }

    private int tail(int rowOff, int from, long[] x, int xOff) {
        int c = 0;
        for (int k = from; k < rowWords; k++) {
            c += Long.bitCount(w[rowOff + k] ^ x[xOff + k]);
        }
        return c;
    }
}
