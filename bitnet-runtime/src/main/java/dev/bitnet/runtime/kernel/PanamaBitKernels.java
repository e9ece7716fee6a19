package dev.bitnet.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels: {@code LongVector} XOR, lanewise {@code BIT_COUNT} and a lane-wise
 * running sum, reduced once per row; scalar tail for the words past the last full vector.
 * Four rows share each activation load (measured best here, see KERNEL-FACTS.md). Loaded only by
 * {@link Kernels} after it checked that the incubator module is present.
 */
final class PanamaBitKernels implements BitKernels {

    /** A {@code static final} species: passed as a parameter it made C2 output swing 100x. */
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Rows per pass: each activation vector is loaded once for this many weight rows. */
    private static final int ROWS = 4;

    /** Bytes of activations per batch tile: half of a 32 KiB L1d, the other half is for weights. */
    private static final int TILE_BYTES = 16 * 1024;

    PanamaBitKernels() {
        if (SPECIES.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector shape is "
                    + SPECIES.vectorBitSize() + " bits, under the 128 the Panama kernels need");
        }
    }

    @Override
    public void mismatches(MemorySegment w, int rowWords, int rowStart, int rowEnd, long[] x, int[] out) {
        long rowBytes = (long) rowWords * Long.BYTES;
        int r = rowStart;
        for (; r + ROWS <= rowEnd; r += ROWS) {
            rows4(w, r * rowBytes, rowBytes, rowWords, x, 0, out, r);
        }
        for (; r < rowEnd; r++) {
            out[r] = row(w, r * rowBytes, rowBytes, rowWords, x, 0);
        }
    }

    /**
     * Tiles the inputs so a tile's activations stay in L1; within a tile, each group of four
     * weight rows (at most 2 KiB at 4096 columns) is read from memory once and then stays in L1
     * while it meets every input of the tile.
     */
    @Override
    public void mismatchesBatch(MemorySegment w, int rowWords, int rowStart, int rowEnd,
                                long[] xs, int n, int[] out, int outStride) {
        long rowBytes = (long) rowWords * Long.BYTES;
        int tile = Math.max(1, TILE_BYTES / (rowWords * Long.BYTES));
        for (int i0 = 0; i0 < n; i0 += tile) {
            int i1 = Math.min(n, i0 + tile);
            int r = rowStart;
            for (; r + ROWS <= rowEnd; r += ROWS) {
                for (int i = i0; i < i1; i++) {
                    rows4(w, r * rowBytes, rowBytes, rowWords, xs, i * rowWords, out, i * outStride + r);
                }
            }
            for (; r < rowEnd; r++) {
                for (int i = i0; i < i1; i++) {
                    out[i * outStride + r] = row(w, r * rowBytes, rowBytes, rowWords, xs, i * rowWords);
                }
            }
        }
    }

    /**
     * Four rows starting at byte {@code off} against one input; results to
     * {@code out[pos .. pos + 4)}. Each row gets its own slice, made here where C2 sees its
     * bounds: that lets it hoist the segment bounds checks out of the loop (measured 1.2-1.8x
     * here, as fast as {@code VECTOR_ACCESS_OOB_CHECK=0}; slices made by the caller did not help).
     */
    private static void rows4(MemorySegment w, long off, long rowBytes, int rowWords,
                              long[] x, int xOff, int[] out, int pos) {
        MemorySegment w0 = w.asSlice(off, rowBytes);
        MemorySegment w1 = w.asSlice(off + rowBytes, rowBytes);
        MemorySegment w2 = w.asSlice(off + 2 * rowBytes, rowBytes);
        MemorySegment w3 = w.asSlice(off + 3 * rowBytes, rowBytes);
        // One accumulator per row: four independent add chains keep the popcount ports busy.
        LongVector acc0 = LongVector.zero(SPECIES);
        LongVector acc1 = LongVector.zero(SPECIES);
        LongVector acc2 = LongVector.zero(SPECIES);
        LongVector acc3 = LongVector.zero(SPECIES);
        int upper = SPECIES.loopBound(rowWords);
        int k = 0;
        for (; k < upper; k += LANES) {
            LongVector xv = LongVector.fromArray(SPECIES, x, xOff + k);
            long b = (long) k * Long.BYTES;
            acc0 = acc0.add(LongVector.fromMemorySegment(SPECIES, w0, b, LE)
                    .lanewise(VectorOperators.XOR, xv).lanewise(VectorOperators.BIT_COUNT));
            acc1 = acc1.add(LongVector.fromMemorySegment(SPECIES, w1, b, LE)
                    .lanewise(VectorOperators.XOR, xv).lanewise(VectorOperators.BIT_COUNT));
            acc2 = acc2.add(LongVector.fromMemorySegment(SPECIES, w2, b, LE)
                    .lanewise(VectorOperators.XOR, xv).lanewise(VectorOperators.BIT_COUNT));
            acc3 = acc3.add(LongVector.fromMemorySegment(SPECIES, w3, b, LE)
                    .lanewise(VectorOperators.XOR, xv).lanewise(VectorOperators.BIT_COUNT));
        }
        long c0 = acc0.reduceLanes(VectorOperators.ADD);
        long c1 = acc1.reduceLanes(VectorOperators.ADD);
        long c2 = acc2.reduceLanes(VectorOperators.ADD);
        long c3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; k < rowWords; k++) {
            long xk = x[xOff + k];
            long b = (long) k * Long.BYTES;
            c0 += Long.bitCount(w0.get(ScalarBitKernels.WORD, b) ^ xk);
            c1 += Long.bitCount(w1.get(ScalarBitKernels.WORD, b) ^ xk);
            c2 += Long.bitCount(w2.get(ScalarBitKernels.WORD, b) ^ xk);
            c3 += Long.bitCount(w3.get(ScalarBitKernels.WORD, b) ^ xk);
        }
        out[pos] = (int) c0;
        out[pos + 1] = (int) c1;
        out[pos + 2] = (int) c2;
        out[pos + 3] = (int) c3;
    }

    /** One row at byte {@code off} against one input, for the rows left over after the groups of four. */
    private static int row(MemorySegment seg, long off, long rowBytes, int rowWords, long[] x, int xOff) {
        MemorySegment w = seg.asSlice(off, rowBytes);
        // Two accumulators so consecutive vectors do not wait on each other's add.
        LongVector acc0 = LongVector.zero(SPECIES);
        LongVector acc1 = LongVector.zero(SPECIES);
        int upper2 = rowWords - rowWords % (2 * LANES);
        int k = 0;
        for (; k < upper2; k += 2 * LANES) {
            long b = (long) k * Long.BYTES;
            acc0 = acc0.add(LongVector.fromMemorySegment(SPECIES, w, b, LE)
                    .lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, x, xOff + k))
                    .lanewise(VectorOperators.BIT_COUNT));
            acc1 = acc1.add(LongVector.fromMemorySegment(SPECIES, w, b + (long) LANES * Long.BYTES, LE)
                    .lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, x, xOff + k + LANES))
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        int upper = SPECIES.loopBound(rowWords);
        for (; k < upper; k += LANES) {
            acc0 = acc0.add(LongVector.fromMemorySegment(SPECIES, w, (long) k * Long.BYTES, LE)
                    .lanewise(VectorOperators.XOR, LongVector.fromArray(SPECIES, x, xOff + k))
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        long c = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; k < rowWords; k++) {
            c += Long.bitCount(w.get(ScalarBitKernels.WORD, (long) k * Long.BYTES) ^ x[xOff + k]);
        }
        return (int) c;
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }
}
