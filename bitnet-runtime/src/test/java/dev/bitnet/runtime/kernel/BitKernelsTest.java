package dev.bitnet.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bitnet.core.bits.BitPacking;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scalar and Panama kernels against each other and against a brute-force ±1 dot product. */
class BitKernelsTest {

    private static final int[] ROW_WORDS = {1, 3, 7, 8, 9, 63, 64, 65, 1000};
    private static final int[] ROWS = {1, 2, 3, 5, 17};
    private static final int[] BATCH = {1, 2, 3, 7, 33};

    private static final BitKernels SCALAR = Kernels.scalar();
    private static BitKernels panama;
    private static Arena arena;

    @BeforeAll
    static void setUp() {
        arena = Arena.ofShared();
        try {
            panama = Kernels.panama();
        } catch (UnsupportedOperationException e) {
            panama = null;
        }
    }

    @AfterAll
    static void tearDown() {
        arena.close();
    }

    /** Random rows in a little-endian segment, at a byte offset that is not 8-byte aligned. */
    private static MemorySegment weights(long[] words) {
        MemorySegment seg = arena.allocate(words.length * 8L + 3).asSlice(3);
        for (int i = 0; i < words.length; i++) {
            seg.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 8L, words[i]);
        }
        return seg;
    }

    /** Random packed ±1 rows of {@code cols} values each, padding bits 0 as the format promises. */
    private static long[] randomRows(SplittableRandom rnd, int rows, int cols) {
        int rowWords = BitPacking.words(cols);
        long[] words = new long[rows * rowWords];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < rowWords; k++) {
                words[r * rowWords + k] = rnd.nextLong();
            }
            words[r * rowWords + rowWords - 1] &= BitPacking.lastWordMask(cols);
        }
        return words;
    }

    @Test
    void panamaIsAvailableUnderSurefire() {
        assertThat(panama).as("surefire runs with --add-modules jdk.incubator.vector").isNotNull();
        assertThat(panama.name()).startsWith("vector-");
    }

    @Test
    void panamaEqualsScalarOnAwkwardSizes() {
        assumeTrue(panama != null, "Vector API not enabled");
        SplittableRandom rnd = new SplittableRandom(42);
        for (int rowWords : ROW_WORDS) {
            for (int rows : ROWS) {
                // A few extra rows so the tested range can start and end inside the matrix.
                int total = rows + 6;
                MemorySegment w = weights(randomRows(rnd, total, rowWords * 64));
                long[] x = randomRows(rnd, 1, rowWords * 64);
                for (int start : new int[] {0, 1, 5}) {
                    int[] expected = new int[total];
                    int[] actual = new int[total];
                    Arrays.fill(expected, -7);
                    Arrays.fill(actual, -7);
                    SCALAR.mismatches(SCALAR.prepare(w, total, rowWords), rowWords, start, start + rows, x, expected);
                    panama.mismatches(panama.prepare(w, total, rowWords), rowWords, start, start + rows, x, actual);
                    assertThat(actual).as("rowWords %d rows [%d, %d)", rowWords, start, start + rows)
                            .isEqualTo(expected);
                    for (int r = 0; r < total; r++) {
                        if (r < start || r >= start + rows) {
                            assertThat(actual[r]).as("row %d outside the range", r).isEqualTo(-7);
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchEqualsOneByOneOnAwkwardSizes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int rowWords : ROW_WORDS) {
            for (int rows : ROWS) {
                int total = rows + 3;
                MemorySegment w = weights(randomRows(rnd, total, rowWords * 64));
                for (int n : BATCH) {
                    long[] xs = randomRows(rnd, n, rowWords * 64);
                    int start = 2;
                    int stride = total + 1;
                    int[] expected = new int[n * stride];
                    for (int i = 0; i < n; i++) {
                        int[] one = new int[total];
                        SCALAR.mismatches(SCALAR.prepare(w, total, rowWords), rowWords, start, start + rows, Arrays.copyOfRange(xs, i * rowWords, (i + 1) * rowWords), one);
                        System.arraycopy(one, start, expected, i * stride + start, rows);
                    }
                    for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                        int[] actual = new int[n * stride];
                        k.mismatchesBatch(k.prepare(w, total, rowWords), rowWords, start, start + rows, xs, n, actual, stride);
                        assertThat(actual).as("%s rowWords %d rows %d n %d", k.name(), rowWords, rows, n).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** Range bits against the definition, on lengths around the vector widths and ranges that start past 0. */
    @Test
    void inRangeBitsMatchTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int rows : new int[] {1, 7, 8, 9, 63, 64, 65, 130, 200}) {
            int total = rows + 64;
            int[] m = rnd.ints(total + 3, 0, 40).toArray();
            int[] lo = rnd.ints(total, -2, 30).toArray();
            int[] hi = rnd.ints(total, 0, 42).toArray();
            for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                long[] dst = new long[(total + 63) / 64 + 1];
                Arrays.fill(dst, -1L);
                k.inRangeBits(m, 3, lo, hi, 64, 64 + rows, dst, 1);
                assertThat(dst[0]).isEqualTo(-1L);
                for (int r = 64; r < 64 + rows; r++) {
                    boolean in = lo[r] <= m[3 + r] && m[3 + r] <= hi[r];
                    assertThat((dst[1 + (r >>> 6)] >>> (r & 63) & 1L) == 1L).as("%s rows %d row %d", k.name(), rows, r).isEqualTo(in);
                }
                int last = 64 + rows - 1;
                if ((last & 63) != 63) {
                    assertThat(dst[1 + (last >>> 6)] >>> ((last & 63) + 1)).as("bits past the end").isZero();
                }
            }
        }
    }

    /** The bit trick against the definition: unpack to ±1, multiply, add; n - 2m must equal the dot product. */
    @Test
    void mismatchesGiveTheDotProductOfUnpackedSigns() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int cols : new int[] {1, 63, 64, 65, 100, 777, 2048}) {
            int rows = 5;
            int rowWords = BitPacking.words(cols);
            long[] packed = randomRows(rnd, rows, cols);
            long[] x = randomRows(rnd, 1, cols);
            MemorySegment w = weights(packed);
            float[] xs = BitPacking.unpack(x, 0, cols);
            for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                int[] m = new int[rows];
                k.mismatches(k.prepare(w, rows, rowWords), rowWords, 0, rows, x, m);
                for (int r = 0; r < rows; r++) {
                    float[] wr = BitPacking.unpack(packed, r * rowWords, cols);
                    int dot = 0;
                    for (int i = 0; i < cols; i++) {
                        dot += (int) (wr[i] * xs[i]);
                    }
                    assertThat(cols - 2 * m[r]).as("%s cols %d row %d", k.name(), cols, r).isEqualTo(dot);
                }
            }
        }
    }
}
