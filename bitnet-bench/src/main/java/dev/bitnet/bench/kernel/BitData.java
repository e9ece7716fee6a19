package dev.bitnet.bench.kernel;

import dev.bitnet.core.bits.BitPacking;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Seeded random packed ±1 data, laid out as the runtime sees it. */
final class BitData {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BitData() {
    }

    /**
     * A {@code rows x cols} ±1 matrix, packed rows in an off-heap little-endian segment of
     * {@code arena} (like a mapped {@code .bit2} tensor), padding bits 0.
     */
    static MemorySegment weights(Arena arena, SplittableRandom rnd, int rows, int cols) {
        int rowWords = BitPacking.words(cols);
        MemorySegment seg = arena.allocate((long) rows * rowWords * Long.BYTES, 64);
        long mask = BitPacking.lastWordMask(cols);
        for (long r = 0; r < rows; r++) {
            for (int k = 0; k < rowWords; k++) {
                long word = rnd.nextLong();
                seg.set(WORD, (r * rowWords + k) * Long.BYTES, k == rowWords - 1 ? word & mask : word);
            }
        }
        return seg;
    }

    /** {@code n} packed ±1 inputs of {@code cols} values, one after another, padding bits 0. */
    static long[] inputs(SplittableRandom rnd, int n, int cols) {
        int rowWords = BitPacking.words(cols);
        long[] xs = new long[n * rowWords];
        long mask = BitPacking.lastWordMask(cols);
        for (int i = 0; i < xs.length; i++) {
            long word = rnd.nextLong();
            xs[i] = i % rowWords == rowWords - 1 ? word & mask : word;
        }
        return xs;
    }
}
