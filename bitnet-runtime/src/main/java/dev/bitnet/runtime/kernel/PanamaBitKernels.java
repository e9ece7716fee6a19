package dev.bitnet.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels on a row-interleaved copy of the weights ({@link #prepare}): rows are
 * taken in groups of {@code LANES} (one row per vector lane) and word k of a group's rows is one
 * vector. XOR with input word k broadcast to every lane, lanewise {@code BIT_COUNT} and a lanewise
 * sum then leave each row's count in its own lane: no horizontal reduction, no per-row set-up and
 * no scalar tail, which is what short rows (512 columns = 8 words) spent most of their time on.
 * Two groups per pass share each broadcast. Loaded only by {@link Kernels} after it checked that
 * the incubator module is present.
 */
final class PanamaBitKernels implements BitKernels {

    /** A {@code static final} species: passed as a parameter it made C2 output swing 100x. */
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    /** Rows per group: one per lane. */
    private static final int LANES = SPECIES.length();
    /** The counts of a group as ints (half the bits: same lane count; at least 64 bits so a too-small shape reaches the constructor's refusal). */
    private static final VectorSpecies<Integer> COUNTS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.max(64, SPECIES.vectorBitSize() / 2)));
    /** Ints of the preferred shape, for the range tests (at most 16 lanes: they fit a word). */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int INT_LANES = INTS.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong WORD = ScalarBitKernels.WORD;

    /** Bytes of activations per batch tile: half of a 32 KiB L1d, the other half is for weights. */
    private static final int TILE_BYTES = 16 * 1024;

    PanamaBitKernels() {
        if (SPECIES.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector shape is "
                    + SPECIES.vectorBitSize() + " bits, under the 128 the Panama kernels need");
        }
    }

    /**
     * Copies the rows into groups of {@code LANES}: word k of row {@code g * LANES + j} goes to
     * long {@code (g * rowWords + k) * LANES + j}; the last group is padded with zero rows. The
     * copy is a heap {@code long[]} (wrapped in a segment): C2 removes the bounds checks of array
     * loads in these loops, not those of segment loads (measured 2x on 512-column rows).
     */
    @Override
    public MemorySegment prepare(MemorySegment rowMajor, int rows, int rowWords) {
        int groups = (rows + LANES - 1) / LANES;
        long[] out = new long[Math.multiplyExact(groups * LANES, rowWords)];
        long rowBytes = (long) rowWords * Long.BYTES;
        for (int r = 0; r < rows; r++) {
            long src = r * rowBytes;
            int dst = (r / LANES) * rowWords * LANES + r % LANES;
            for (int k = 0; k < rowWords; k++) {
                out[dst + k * LANES] = rowMajor.get(WORD, src + (long) k * Long.BYTES);
            }
        }
        return MemorySegment.ofArray(out);
    }

    @Override
    public void mismatches(MemorySegment w, int rowWords, int rowStart, int rowEnd, long[] x, int[] out) {
        mismatchesBatch(w, rowWords, rowStart, rowEnd, x, 1, out, 0);
    }

    /**
     * Tiles the inputs so a tile's activations stay in L1; within a tile, each pair of groups
     * (at most 8 KiB at 4096 columns and 256-bit vectors) meets every input of the tile while it
     * sits in L1.
     */
    @Override
    public void mismatchesBatch(MemorySegment w, int rowWords, int rowStart, int rowEnd,
                                long[] xs, int n, int[] out, int outStride) {
        if (rowStart >= rowEnd) {
            return;
        }
        long[] ws = ScalarBitKernels.weights(w, name());
        int g0 = rowStart / LANES;
        int g1 = (rowEnd + LANES - 1) / LANES;
        int groupWords = rowWords * LANES;
        int tile = Math.max(1, TILE_BYTES / (rowWords * Long.BYTES));
        for (int i0 = 0; i0 < n; i0 += tile) {
            int i1 = Math.min(n, i0 + tile);
            int g = g0;
            for (; g + 2 <= g1; g += 2) {
                boolean whole = g * LANES >= rowStart && (g + 2) * LANES <= rowEnd;
                for (int i = i0; i < i1; i++) {
                    groups2(ws, g * groupWords, groupWords, rowWords, xs, i * rowWords,
                            out, i * outStride, g * LANES, whole, rowStart, rowEnd);
                }
            }
            if (g < g1) {
                for (int i = i0; i < i1; i++) {
                    group(ws, g * groupWords, rowWords, xs, i * rowWords, out, i * outStride, g * LANES,
                            rowStart, rowEnd);
                }
            }
        }
    }

    /**
     * Two groups starting at long {@code off} of {@code w} against the input at {@code x[xOff]};
     * the count of row r goes to {@code out[outOff + r]} for the rows in {@code [rowStart, rowEnd)}.
     */
    private static void groups2(long[] w, int off, int groupWords, int rowWords, long[] x, int xOff,
                                int[] out, int outOff, int firstRow, boolean whole, int rowStart, int rowEnd) {
        LongVector acc0 = LongVector.zero(SPECIES);
        LongVector acc1 = LongVector.zero(SPECIES);
        int off1 = off + groupWords;
        for (int k = 0; k < rowWords; k++) {
            LongVector xk = LongVector.broadcast(SPECIES, x[xOff + k]);
            acc0 = acc0.add(LongVector.fromArray(SPECIES, w, off + k * LANES)
                    .lanewise(VectorOperators.XOR, xk).lanewise(VectorOperators.BIT_COUNT));
            acc1 = acc1.add(LongVector.fromArray(SPECIES, w, off1 + k * LANES)
                    .lanewise(VectorOperators.XOR, xk).lanewise(VectorOperators.BIT_COUNT));
        }
        if (whole) {
            ((IntVector) acc0.convertShape(VectorOperators.L2I, COUNTS, 0)).intoArray(out, outOff + firstRow);
            ((IntVector) acc1.convertShape(VectorOperators.L2I, COUNTS, 0)).intoArray(out, outOff + firstRow + LANES);
        } else {
            store(acc0, out, outOff, firstRow, rowStart, rowEnd);
            store(acc1, out, outOff, firstRow + LANES, rowStart, rowEnd);
        }
    }

    /** One group, for the last one when the groups are odd in number. */
    private static void group(long[] w, int off, int rowWords, long[] x, int xOff,
                              int[] out, int outOff, int firstRow, int rowStart, int rowEnd) {
        LongVector acc = LongVector.zero(SPECIES);
        for (int k = 0; k < rowWords; k++) {
            acc = acc.add(LongVector.fromArray(SPECIES, w, off + k * LANES)
                    .lanewise(VectorOperators.XOR, LongVector.broadcast(SPECIES, x[xOff + k]))
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        store(acc, out, outOff, firstRow, rowStart, rowEnd);
    }

    /** The lanes of a group whose rows lie in {@code [rowStart, rowEnd)} (the others are padding or not asked for). */
    private static void store(LongVector acc, int[] out, int outOff, int firstRow, int rowStart, int rowEnd) {
        for (int j = 0; j < LANES; j++) {
            int r = firstRow + j;
            if (r >= rowStart && r < rowEnd) {
                out[outOff + r] = (int) acc.lane(j);
            }
        }
    }

    /** Eight (AVX2) or sixteen (AVX-512) compares per step, packed with one mask-to-bits move. */
    @Override
    public void inRangeBits(int[] m, int mOff, int[] lo, int[] hi, int rowStart, int rowEnd, long[] dst, int dstOff) {
        for (int wordStart = rowStart; wordStart < rowEnd; wordStart += 64) {
            int end = Math.min(wordStart + 64, rowEnd);
            long word = 0;
            int r = wordStart;
            for (; r + INT_LANES <= end; r += INT_LANES) {
                IntVector c = IntVector.fromArray(INTS, m, mOff + r);
                VectorMask<Integer> in = c.compare(VectorOperators.GE, IntVector.fromArray(INTS, lo, r))
                        .and(c.compare(VectorOperators.LE, IntVector.fromArray(INTS, hi, r)));
                word |= in.toLong() << (r - wordStart);
            }
            dst[dstOff + (wordStart >>> 6)] = ScalarBitKernels.inRangeWord(m, mOff, lo, hi, r, end, word);
        }
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }
}
