package dev.bitnet.runtime.kernel;

import dev.bitnet.runtime.sampling.Sampler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
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
    /** Lane j of a block of keys lies {@code LANES - 1 - j} positions farther back than its last lane. */
    private static final int[] LANE_DISTANCE = laneDistances();
    /** Floats of the preferred shape, for the scaled outputs. */
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
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
        if (rowWords == 8 && rowStart < rowEnd) {
            rows8(ScalarBitKernels.weights(w, name()), x, rowStart, rowEnd, out);
        } else {
            mismatchesBatch(w, rowWords, rowStart, rowEnd, x, 1, out, 0);
        }
    }

    /**
     * Rows of eight words (512 columns: every matrix of a d_model-512 model but the FFN's down
     * projection, and its head): the whole input sits in eight registers, and a group's eight
     * vectors are summed as a tree, so no input word is reloaded and no sum waits on the one
     * before. 1.5-3x the two-group loop on a Zen 5 EPYC at 128, 256 and 512 bits (JMH,
     * docs/kernels.md); on longer rows holding the input this way lost (the partial sums must then
     * go through memory).
     */
    private static void rows8(long[] w, long[] x, int rowStart, int rowEnd, int[] out) {
        LongVector x0 = LongVector.broadcast(SPECIES, x[0]);
        LongVector x1 = LongVector.broadcast(SPECIES, x[1]);
        LongVector x2 = LongVector.broadcast(SPECIES, x[2]);
        LongVector x3 = LongVector.broadcast(SPECIES, x[3]);
        LongVector x4 = LongVector.broadcast(SPECIES, x[4]);
        LongVector x5 = LongVector.broadcast(SPECIES, x[5]);
        LongVector x6 = LongVector.broadcast(SPECIES, x[6]);
        LongVector x7 = LongVector.broadcast(SPECIES, x[7]);
        int g1 = (rowEnd + LANES - 1) / LANES;
        for (int g = rowStart / LANES; g < g1; g++) {
            int b = g * 8 * LANES;
            // Written out: a helper method for the XOR + count, once compiled on its own, grew too
            // large for C2 to inline, and every vector was then boxed on the heap.
            LongVector s01 = LongVector.fromArray(SPECIES, w, b).lanewise(VectorOperators.XOR, x0)
                    .lanewise(VectorOperators.BIT_COUNT)
                    .add(LongVector.fromArray(SPECIES, w, b + LANES).lanewise(VectorOperators.XOR, x1)
                            .lanewise(VectorOperators.BIT_COUNT));
            LongVector s23 = LongVector.fromArray(SPECIES, w, b + 2 * LANES).lanewise(VectorOperators.XOR, x2)
                    .lanewise(VectorOperators.BIT_COUNT)
                    .add(LongVector.fromArray(SPECIES, w, b + 3 * LANES).lanewise(VectorOperators.XOR, x3)
                            .lanewise(VectorOperators.BIT_COUNT));
            LongVector s45 = LongVector.fromArray(SPECIES, w, b + 4 * LANES).lanewise(VectorOperators.XOR, x4)
                    .lanewise(VectorOperators.BIT_COUNT)
                    .add(LongVector.fromArray(SPECIES, w, b + 5 * LANES).lanewise(VectorOperators.XOR, x5)
                            .lanewise(VectorOperators.BIT_COUNT));
            LongVector s67 = LongVector.fromArray(SPECIES, w, b + 6 * LANES).lanewise(VectorOperators.XOR, x6)
                    .lanewise(VectorOperators.BIT_COUNT)
                    .add(LongVector.fromArray(SPECIES, w, b + 7 * LANES).lanewise(VectorOperators.XOR, x7)
                            .lanewise(VectorOperators.BIT_COUNT));
            LongVector sum = s01.add(s23).add(s45.add(s67));
            int first = g * LANES;
            if (first >= rowStart && first + LANES <= rowEnd) {
                counts(sum).intoArray(out, first);
            } else { // a group the range cuts: its rows one by one (passing `sum` on would box it)
                for (int r = Math.max(first, rowStart); r < Math.min(first + LANES, rowEnd); r++) {
                    int m = 0;
                    for (int k = 0; k < 8; k++) {
                        m += Long.bitCount(w[b + k * LANES + r - first] ^ x[k]);
                    }
                    out[r] = m;
                }
            }
        }
    }

    /**
     * Tiles the inputs so a tile's activations stay in L1; within a tile, each pair of groups
     * (at most 8 KiB at 4096 columns and 256-bit vectors) meets every input of the tile while it
     * sits in L1, four inputs per pass: each weight vector loaded feeds four XOR + popcounts.
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
            // 128-bit vectors hold two rows: four groups a pass so each broadcast serves eight rows.
            for (; LANES == 2 && g + 4 <= g1; g += 4) {
                boolean whole = g * LANES >= rowStart && (g + 4) * LANES <= rowEnd;
                int i = i0;
                if (whole) {
                    for (; i + 2 <= i1; i += 2) {
                        groups4x2(ws, g * groupWords, groupWords, rowWords, xs, i * rowWords,
                                out, i * outStride, outStride, g * LANES);
                    }
                }
                for (; i < i1; i++) {
                    for (int p = 0; p < 4; p += 2) {
                        groups2(ws, (g + p) * groupWords, groupWords, rowWords, xs, i * rowWords,
                                out, i * outStride, (g + p) * LANES, whole, rowStart, rowEnd);
                    }
                }
            }
            for (; g + 2 <= g1; g += 2) {
                boolean whole = g * LANES >= rowStart && (g + 2) * LANES <= rowEnd;
                int i = i0;
                if (whole) {
                    for (; i + 4 <= i1; i += 4) {
                        groups2x4(ws, g * groupWords, groupWords, rowWords, xs, i * rowWords,
                                out, i * outStride, outStride, g * LANES);
                    }
                }
                for (; i < i1; i++) {
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
     * Two whole groups from long {@code off} of {@code w} against four inputs starting at
     * {@code x[xOff]} ({@code rowWords} apart): eight accumulators, each weight vector loaded once
     * for four inputs. Input i's counts go to {@code out[outOff + i * outStride + firstRow..]}.
     */
    private static void groups2x4(long[] w, int off, int groupWords, int rowWords, long[] x, int xOff,
                                  int[] out, int outOff, int outStride, int firstRow) {
        LongVector a0 = LongVector.zero(SPECIES);
        LongVector a1 = LongVector.zero(SPECIES);
        LongVector a2 = LongVector.zero(SPECIES);
        LongVector a3 = LongVector.zero(SPECIES);
        LongVector b0 = LongVector.zero(SPECIES);
        LongVector b1 = LongVector.zero(SPECIES);
        LongVector b2 = LongVector.zero(SPECIES);
        LongVector b3 = LongVector.zero(SPECIES);
        int off1 = off + groupWords;
        int x1 = xOff + rowWords;
        int x2 = x1 + rowWords;
        int x3 = x2 + rowWords;
        for (int k = 0; k < rowWords; k++) {
            LongVector wa = LongVector.fromArray(SPECIES, w, off + k * LANES);
            LongVector wb = LongVector.fromArray(SPECIES, w, off1 + k * LANES);
            LongVector v0 = LongVector.broadcast(SPECIES, x[xOff + k]);
            a0 = a0.add(wa.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            b0 = b0.add(wb.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            LongVector v1 = LongVector.broadcast(SPECIES, x[x1 + k]);
            a1 = a1.add(wa.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
            b1 = b1.add(wb.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
            LongVector v2 = LongVector.broadcast(SPECIES, x[x2 + k]);
            a2 = a2.add(wa.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.BIT_COUNT));
            b2 = b2.add(wb.lanewise(VectorOperators.XOR, v2).lanewise(VectorOperators.BIT_COUNT));
            LongVector v3 = LongVector.broadcast(SPECIES, x[x3 + k]);
            a3 = a3.add(wa.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.BIT_COUNT));
            b3 = b3.add(wb.lanewise(VectorOperators.XOR, v3).lanewise(VectorOperators.BIT_COUNT));
        }
        int o = outOff + firstRow;
        counts(a0).intoArray(out, o);
        counts(b0).intoArray(out, o + LANES);
        counts(a1).intoArray(out, o + outStride);
        counts(b1).intoArray(out, o + outStride + LANES);
        counts(a2).intoArray(out, o + 2 * outStride);
        counts(b2).intoArray(out, o + 2 * outStride + LANES);
        counts(a3).intoArray(out, o + 3 * outStride);
        counts(b3).intoArray(out, o + 3 * outStride + LANES);
    }

    /**
     * Four whole groups from long {@code off} of {@code w} against two inputs starting at
     * {@code x[xOff]}: the 128-bit layout of {@link #groups2x4}, eight accumulators again, but each
     * broadcast input word meets four weight vectors (eight rows) instead of two.
     */
    private static void groups4x2(long[] w, int off, int groupWords, int rowWords, long[] x, int xOff,
                                  int[] out, int outOff, int outStride, int firstRow) {
        LongVector a0 = LongVector.zero(SPECIES);
        LongVector a1 = LongVector.zero(SPECIES);
        LongVector b0 = LongVector.zero(SPECIES);
        LongVector b1 = LongVector.zero(SPECIES);
        LongVector c0 = LongVector.zero(SPECIES);
        LongVector c1 = LongVector.zero(SPECIES);
        LongVector d0 = LongVector.zero(SPECIES);
        LongVector d1 = LongVector.zero(SPECIES);
        int offB = off + groupWords;
        int offC = offB + groupWords;
        int offD = offC + groupWords;
        int x1 = xOff + rowWords;
        for (int k = 0; k < rowWords; k++) {
            LongVector wa = LongVector.fromArray(SPECIES, w, off + k * LANES);
            LongVector wb = LongVector.fromArray(SPECIES, w, offB + k * LANES);
            LongVector wc = LongVector.fromArray(SPECIES, w, offC + k * LANES);
            LongVector wd = LongVector.fromArray(SPECIES, w, offD + k * LANES);
            LongVector v0 = LongVector.broadcast(SPECIES, x[xOff + k]);
            a0 = a0.add(wa.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            b0 = b0.add(wb.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            c0 = c0.add(wc.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            d0 = d0.add(wd.lanewise(VectorOperators.XOR, v0).lanewise(VectorOperators.BIT_COUNT));
            LongVector v1 = LongVector.broadcast(SPECIES, x[x1 + k]);
            a1 = a1.add(wa.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
            b1 = b1.add(wb.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
            c1 = c1.add(wc.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
            d1 = d1.add(wd.lanewise(VectorOperators.XOR, v1).lanewise(VectorOperators.BIT_COUNT));
        }
        int o = outOff + firstRow;
        counts(a0).intoArray(out, o);
        counts(b0).intoArray(out, o + LANES);
        counts(c0).intoArray(out, o + 2 * LANES);
        counts(d0).intoArray(out, o + 3 * LANES);
        o += outStride;
        counts(a1).intoArray(out, o);
        counts(b1).intoArray(out, o + LANES);
        counts(c1).intoArray(out, o + 2 * LANES);
        counts(d1).intoArray(out, o + 3 * LANES);
    }

    /** A group's per-lane counts as ints. */
    private static IntVector counts(LongVector acc) {
        return (IntVector) acc.convertShape(VectorOperators.L2I, COUNTS, 0);
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
            counts(acc0).intoArray(out, outOff + firstRow);
            counts(acc1).intoArray(out, outOff + firstRow + LANES);
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

    /** Compares of {@code FLOATS.length()} values per step, packed with mask-to-bits moves; a scalar tail. */
    @Override
    public void normSigns(float[] x, int xOff, int width, long[] gammaPositive, long[] gammaZero, long[] out, int outOff) {
        int step = FLOATS.length();
        for (int k = 0; k < gammaZero.length; k++) {
            int base = k << 6;
            int end = Math.min(64, width - base);
            long positive = 0;
            long zero = 0;
            int b = 0;
            for (; b + step <= end; b += step) {
                FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + base + b);
                positive |= v.compare(VectorOperators.GT, 0f).toLong() << b;
                zero |= v.compare(VectorOperators.EQ, 0f).toLong() << b;
            }
            for (; b < end; b++) {
                float xi = x[xOff + base + b];
                positive |= (xi > 0f ? 1L : 0L) << b;
                zero |= (xi == 0f ? 1L : 0L) << b;
            }
            out[outOff + k] = ScalarBitKernels.signWord(positive, zero, gammaPositive[k], gammaZero[k], end);
        }
    }

    /** Sixteen (AVX-512) or eight (AVX2) rows per step; each lane does the scalar reference's operations in its order. */
    @Override
    public void scaledOutputs(int[] m, int mOff, int in, float c, float[] alpha, float[] bias, int rowStart, int rowEnd,
                              float[] dst, int dstOff, boolean accumulate) {
        int step = FLOATS.length();
        int r = rowStart;
        for (; r + step <= rowEnd; r += step) {
            IntVector s = IntVector.fromArray(INTS, m, mOff + r).mul(-2).add(in);
            FloatVector y = ((FloatVector) s.convert(VectorOperators.I2F, 0)).mul(c)
                    .mul(FloatVector.fromArray(FLOATS, alpha, r))
                    .add(FloatVector.fromArray(FLOATS, bias, r));
            if (accumulate) {
                y = FloatVector.fromArray(FLOATS, dst, dstOff + r).add(y);
            }
            y.intoArray(dst, dstOff + r);
        }
        ScalarBitKernels.INSTANCE.scaledOutputs(m, mOff, in, c, alpha, bias, r, rowEnd, dst, dstOff, accumulate);
    }

    /**
     * Two passes instead of one compare-and-branch per value: the largest value by lanewise
     * {@code max} (which, like {@link Math#max}, gives NaN when any value is NaN: then the scalar
     * definition decides), then the first index holding it. {@code -0.0} and {@code 0.0} compare
     * equal, so the first of them wins, as in the definition.
     */
    @Override
    public int argmax(float[] values, int from, int to) {
        int step = FLOATS.length();
        if (to - from < 2 * step) {
            return Sampler.argmax(values, from, to);
        }
        FloatVector max = FloatVector.fromArray(FLOATS, values, from);
        int i = from + step;
        for (; i + step <= to; i += step) {
            max = max.max(FloatVector.fromArray(FLOATS, values, i));
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            m = Math.max(m, values[i]);
        }
        if (Float.isNaN(m)) {
            return Sampler.argmax(values, from, to);
        }
        FloatVector target = FloatVector.broadcast(FLOATS, m);
        for (i = from; i + step <= to; i += step) {
            VectorMask<Float> hit = FloatVector.fromArray(FLOATS, values, i).compare(VectorOperators.EQ, target);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        while (values[i] != m) { // m is one of the values: found in the tail if not before it
            i++;
        }
        return i;
    }

    /**
     * For keys of one word ({@code d_head <= 64}, every preset) and 4 or more lanes: {@code LANES} keys per step, nearest
     * first as in the reference, with its cut-off checked per block. A block holds consecutive
     * slots, lane 0 the farthest; its best score and, among equal scores, its lowest lane (the
     * farthest key) replace the best so far when not lower: the reference's ties to the smallest j.
     */
    @Override
    public int bestSlot(long[] keys, int cap, int h, long[] q, int qOff, int dh, float scale, float slope, int window,
                        long query) {
        // Two keys a block (128-bit vectors) would score them in 64-bit float and int vectors,
        // which C2 does not compile on x86: every block then allocated (194 KB a 75m token).
        if (dh > 64 || LANES < 4) {
            return PointerScan.bestSlot(keys, cap, h, q, qOff, dh, scale, slope, window, query);
        }
        long qw = q[qOff];
        LongVector qv = LongVector.broadcast(SPECIES, qw);
        IntVector laneDistance = IntVector.fromArray(COUNTS, LANE_DISTANCE, 0);
        float maxDot = dh * scale;
        int reach = (int) Math.min(query, window - 1);
        int headBase = h * cap;
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (query % cap);
        // The window is at most two runs of consecutive slots: from the query's down to 0, then
        // from cap - 1 down when the ring has wrapped.
        for (int dist = 0; dist <= reach; slot = cap - 1) {
            int run = Math.min(slot + 1, reach - dist + 1);
            int i = 0;
            for (; i + LANES <= run; i += LANES) {
                int near = dist + i;                              // the block's nearest key
                if (slope >= 0f && maxDot - slope * (float) near < best) {
                    return bestSlot;
                }
                int low = slot - i - LANES + 1;                   // the block's farthest slot, lane 0
                LongVector mismatches = LongVector.fromArray(SPECIES, keys, headBase + low)
                        .lanewise(VectorOperators.XOR, qv).lanewise(VectorOperators.BIT_COUNT);
                IntVector dot = counts(mismatches).mul(-2).add(dh);
                FloatVector distance = (FloatVector) laneDistance.add(near).convert(VectorOperators.I2F, 0);
                FloatVector score = ((FloatVector) dot.convert(VectorOperators.I2F, 0)).mul(scale)
                        .sub(distance.mul(slope));
                float blockBest = score.reduceLanes(VectorOperators.MAX);
                if (blockBest >= best) {
                    best = blockBest;
                    bestSlot = low + score.compare(VectorOperators.EQ, blockBest).firstTrue();
                }
            }
            for (; i < run; i++) {
                int d = dist + i;
                float penalty = slope * (float) d;
                if (slope >= 0f && maxDot - penalty < best) {
                    return bestSlot;
                }
                int s = slot - i;
                int dot = dh - 2 * Long.bitCount(qw ^ keys[headBase + s]);
                float score = dot * scale - penalty;
                if (score >= best) {
                    best = score;
                    bestSlot = s;
                }
            }
            dist += run;
        }
        return bestSlot;
    }

    private static int[] laneDistances() {
        int[] d = new int[LANES];
        for (int j = 0; j < LANES; j++) {
            d[j] = LANES - 1 - j;
        }
        return d;
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }
}
