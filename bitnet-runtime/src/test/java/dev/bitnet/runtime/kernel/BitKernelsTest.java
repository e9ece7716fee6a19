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

    /** The sign rule against MODEL.md's definition, with zeros of both signs in x and zeros in the gain. */
    @Test
    void normSignsMatchTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int width : new int[] {1, 15, 16, 17, 63, 64, 65, 130, 512}) {
            float[] gamma = new float[width];
            float[] x = new float[width + 5];
            for (int i = 0; i < width; i++) {
                gamma[i] = switch (rnd.nextInt(5)) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    default -> (float) rnd.nextGaussian();
                };
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (rnd.nextInt(6)) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    default -> (float) rnd.nextGaussian();
                };
            }
            long[] positive = new long[BitPacking.words(width)];
            long[] zero = new long[positive.length];
            for (int i = 0; i < width; i++) {
                positive[i >>> 6] |= (gamma[i] > 0f ? 1L : 0L) << i;
                zero[i >>> 6] |= (gamma[i] == 0f ? 1L : 0L) << i;
            }
            for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                long[] out = new long[positive.length + 2];
                Arrays.fill(out, -1L);
                k.normSigns(x, 5, width, positive, zero, out, 1);
                assertThat(out[0]).isEqualTo(-1L);
                assertThat(out[out.length - 1]).isEqualTo(-1L);
                for (int i = 0; i < 64 * positive.length; i++) {
                    boolean expected = i < width
                            && (x[5 + i] == 0f || gamma[i] == 0f || (x[5 + i] > 0f) == (gamma[i] > 0f));
                    assertThat((out[1 + (i >>> 6)] >>> (i & 63) & 1L) == 1L).as("%s width %d bit %d", k.name(), width, i)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** Scaled outputs against the spec's operations, bit for bit, on ranges around the vector widths. */
    @Test
    void scaledOutputsMatchTheDefinitionBitForBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        int in = 512;
        float c = (float) (1 / Math.sqrt(in));
        for (int rows : new int[] {1, 7, 8, 9, 15, 16, 17, 33, 200}) {
            int total = rows + 5;
            int[] m = rnd.ints(total + 2, 0, in + 1).toArray();
            float[] alpha = new float[total];
            float[] bias = new float[total];
            float[] x = new float[total + 1];
            for (int r = 0; r < total; r++) {
                alpha[r] = (float) rnd.nextGaussian();
                bias[r] = (float) rnd.nextGaussian() * 0.1f;
                x[r] = (float) rnd.nextGaussian();
            }
            for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] dst = x.clone();
                    k.scaledOutputs(m, 2, in, c, alpha, bias, 3, 3 + rows, dst, 1, accumulate);
                    for (int i = 0; i < dst.length; i++) {
                        int r = i - 1;
                        float expected = x[i];
                        if (r >= 3 && r < 3 + rows) {
                            int s = in - 2 * m[2 + r];
                            float u = s * c;
                            float scaled = u * alpha[r];
                            float y = scaled + bias[r];
                            expected = accumulate ? x[i] + y : y;
                        }
                        assertThat(Float.floatToRawIntBits(dst[i])).as("%s rows %d accumulate %s index %d", k.name(), rows,
                                accumulate, i).isEqualTo(Float.floatToRawIntBits(expected));
                    }
                }
            }
        }
    }

    /**
     * The pointer scan against a full scan of the window (the spec's definition, ties to the
     * farthest key), over rings that wrap, windows shorter and longer than the history, slopes
     * that are powers of two (many exact ties), other and non-positive slopes, and key widths
     * that take the vector path (d_head <= 64) and the scalar one.
     */
    @Test
    void bestSlotMatchesAFullScanOfTheWindow() {
        SplittableRandom rnd = new SplittableRandom(13);
        float[] slopes = {0.5f, 0.125f, 1f / 256, 0.3535534f, 0f, -0.25f, 4f};
        for (int dh : new int[] {64, 16, 3, 128}) {
            int hw = BitPacking.words(dh);
            float scale = (float) (1 / Math.sqrt(dh));
            for (int cap : new int[] {1, 7, 8, 9, 40, 130}) {
                for (int heads : new int[] {1, 3}) {
                    long[] keys = randomRows(rnd, heads * cap, dh);
                    if (cap == 40) {
                        Arrays.fill(keys, 0L);                                // every key ties
                    } else if (cap == 130) {
                        for (int i = 0; i < keys.length; i++) {              // few distinct keys: many ties
                            keys[i] = keys[i] & 3L & BitPacking.lastWordMask(dh);
                        }
                    }
                    long[] q = randomRows(rnd, heads, dh);
                    for (int window = 1; window <= cap; window += Math.max(1, cap / 5)) {
                        for (long query : new long[] {0, window - 1L, cap - 1L, cap + 3L, 5L * cap + window / 2}) {
                            for (int h = 0; h < heads; h++) {
                                for (float slope : slopes) {
                                    int expected = fullScan(keys, cap, h, q, h * hw, dh, scale, slope, window, query);
                                    for (BitKernels k : panama == null ? new BitKernels[] {SCALAR} : new BitKernels[] {SCALAR, panama}) {
                                        assertThat(k.bestSlot(keys, cap, h, q, h * hw, dh, scale, slope, window, query))
                                                .as("%s dh %d cap %d window %d query %d head %d slope %s", k.name(), dh, cap,
                                                        window, query, h, slope)
                                                .isEqualTo(expected);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void argmaxIsTheSamplersChoice() {
        assumeTrue(panama != null, "Vector API not enabled");
        SplittableRandom rnd = new SplittableRandom(5);
        // Few distinct values so ties are common; the specials put in below test NaN, signed zeros and infinities.
        float[] pool = {-2f, -1f, -0.0f, 0.0f, 1f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN};
        for (int length : new int[] {0, 1, 5, 16, 17, 31, 32, 33, 64, 100, 1000}) {
            for (int trial = 0; trial < 200; trial++) {
                float[] v = new float[length + 3];
                int specials = trial % 4 == 0 ? pool.length : pool.length - 3; // NaN and infinities in a quarter of the trials
                for (int i = 0; i < v.length; i++) {
                    v[i] = rnd.nextInt(8) == 0 ? pool[rnd.nextInt(specials)] : (float) rnd.nextGaussian();
                }
                int from = trial % 3;
                assertThat(panama.argmax(v, from, from + length)).as("length %d trial %d: %s", length, trial,
                        Arrays.toString(v)).isEqualTo(SCALAR.argmax(v, from, from + length));
            }
        }
    }

    /** Every key of the window scored, the highest kept, ties to the farthest (the smallest position). */
    private static int fullScan(long[] keys, int cap, int h, long[] q, int qOff, int dh, float scale, float slope,
                                int window, long query) {
        int hw = BitPacking.words(dh);
        int best = -1;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (long j = query; j >= Math.max(0, query - window + 1); j--) {
            int slot = (int) (j % cap);
            int mismatches = 0;
            for (int w = 0; w < hw; w++) {
                mismatches += Long.bitCount(q[qOff + w] ^ keys[(h * cap + slot) * hw + w]);
            }
            float score = (dh - 2 * mismatches) * scale - slope * (float) (query - j);
            if (score >= bestScore) {
                bestScore = score;
                best = slot;
            }
        }
        return best;
    }
}
