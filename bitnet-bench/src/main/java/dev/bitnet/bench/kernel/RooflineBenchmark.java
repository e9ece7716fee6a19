package dev.bitnet.bench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two ceilings of the binary kernels, over {@code bytes} of off-heap words: {@code
 * xorPopcount} (XOR with a register-held vector, lanewise {@code BIT_COUNT}, lane sums) and
 * {@code sum} (plain streaming read, lane sums). At 4 KiB the data sit in L1 and xorPopcount
 * gives the popcount throughput; at 256 MiB both are bound by memory bandwidth; 512 KiB (L2) and
 * 8 MiB (L3) are the levels the 75m model's matrices live in; xorPopcountScalar does
 * xorPopcount's work with {@code Long.bitCount}. Score = passes per second; bytes
 * per second = score x bytes, binary MACs per second = score x bytes x 8.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Enough warm-up for C2 to compile the vector loops; override with -wi/-w for quick runs.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Module flag prepended so that a command-line -jvmArgsAppend cannot drop it; -Xms = -Xmx and
// AlwaysPreTouch keep heap growth and page faults out of the measurement.
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class RooflineBenchmark {

    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);

    /** The size whose xorPopcount is the popcount ceiling: data in L1. */
    public static final String L1_BYTES = "4096";
    /** The size whose sum is the memory bandwidth: far beyond the caches. */
    public static final String MEMORY_BYTES = "268435456";

    /** 4 KiB (L1), 512 KiB (L2), 8 MiB (L3), 256 MiB (memory). */
    @Param({L1_BYTES, "524288", "8388608", MEMORY_BYTES})
    public long bytes;

    private Arena arena;
    private MemorySegment data;
    private long[] key;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(20_260_126L);
        arena = Arena.ofShared();
        data = arena.allocate(bytes, 64);
        for (long off = 0; off < bytes; off += Long.BYTES) {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, off, rnd.nextLong());
        }
        key = new long[LANES];
        for (int i = 0; i < LANES; i++) {
            key[i] = rnd.nextLong();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long xorPopcount() {
        LongVector k = LongVector.fromArray(SPECIES, key, 0);
        // Four accumulators so the adds do not serialise the loop.
        LongVector a0 = LongVector.zero(SPECIES);
        LongVector a1 = LongVector.zero(SPECIES);
        LongVector a2 = LongVector.zero(SPECIES);
        LongVector a3 = LongVector.zero(SPECIES);
        long step = (long) SPECIES.vectorByteSize();
        for (long off = 0; off < bytes; off += 4 * step) {
            a0 = a0.add(LongVector.fromMemorySegment(SPECIES, data, off, LE).lanewise(VectorOperators.XOR, k)
                    .lanewise(VectorOperators.BIT_COUNT));
            a1 = a1.add(LongVector.fromMemorySegment(SPECIES, data, off + step, LE).lanewise(VectorOperators.XOR, k)
                    .lanewise(VectorOperators.BIT_COUNT));
            a2 = a2.add(LongVector.fromMemorySegment(SPECIES, data, off + 2 * step, LE).lanewise(VectorOperators.XOR, k)
                    .lanewise(VectorOperators.BIT_COUNT));
            a3 = a3.add(LongVector.fromMemorySegment(SPECIES, data, off + 3 * step, LE).lanewise(VectorOperators.XOR, k)
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** The same work with scalar {@code Long.bitCount}: tells whether the vector popcount pays here. */
    @Benchmark
    public long xorPopcountScalar() {
        long k = key[0];
        long c0 = 0;
        long c1 = 0;
        long c2 = 0;
        long c3 = 0;
        for (long off = 0; off < bytes; off += 4 * Long.BYTES) {
            c0 += Long.bitCount(data.get(WORD, off) ^ k);
            c1 += Long.bitCount(data.get(WORD, off + Long.BYTES) ^ k);
            c2 += Long.bitCount(data.get(WORD, off + 2 * Long.BYTES) ^ k);
            c3 += Long.bitCount(data.get(WORD, off + 3 * Long.BYTES) ^ k);
        }
        return c0 + c1 + c2 + c3;
    }

    @Benchmark
    public long sum() {
        LongVector a0 = LongVector.zero(SPECIES);
        LongVector a1 = LongVector.zero(SPECIES);
        LongVector a2 = LongVector.zero(SPECIES);
        LongVector a3 = LongVector.zero(SPECIES);
        long step = (long) SPECIES.vectorByteSize();
        for (long off = 0; off < bytes; off += 4 * step) {
            a0 = a0.add(LongVector.fromMemorySegment(SPECIES, data, off, LE));
            a1 = a1.add(LongVector.fromMemorySegment(SPECIES, data, off + step, LE));
            a2 = a2.add(LongVector.fromMemorySegment(SPECIES, data, off + 2 * step, LE));
            a3 = a3.add(LongVector.fromMemorySegment(SPECIES, data, off + 3 * step, LE));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
