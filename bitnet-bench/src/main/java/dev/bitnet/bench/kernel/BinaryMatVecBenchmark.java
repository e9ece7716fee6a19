package dev.bitnet.bench.kernel;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * One binary matrix-vector product {@code out[r] = popcount(W[r] XOR x)} (decode: one token),
 * scalar reference and the Panama kernels against {@link PlainLoop}, a plain Vector API loop over
 * the same bits (the yardstick: the runtime's kernel should reach 80 % of it or more).
 * Score = products per second. {@code -jvmArgsAppend -XX:MaxVectorSize=16} (or 32) runs every
 * vector loop at 128 (256) bits.
 *
 * <p>Shapes are the 75m/300m preset's matrices (d = 512/1024, F = 2048/4096, V = 50257 for the
 * output head) plus an odd one that exercises the scalar tails.
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
public class BinaryMatVecBenchmark {

    @Param({"512x512", "512x2048", "2048x512", "50257x512", "1024x4096", "4096x1024", "1000x777"})
    public String shape;

    private final BitKernels scalar = Kernels.scalar();
    private final BitKernels vector = Kernels.panama();

    private Arena arena;
    private MemorySegment w;
    private MemorySegment ws; // w in the scalar kernels' layout
    private MemorySegment wv; // w in the vector kernels' layout
    private int rows;
    private int rowWords;
    private long[] x;
    private int[] out;
    private PlainLoop plain;

    @Setup(Level.Trial)
    public void setUp() {
        MatrixShape s = MatrixShape.parse(shape);
        SplittableRandom rnd = new SplittableRandom(20_260_126L);
        // Shared, off-heap, like the runtime's mapped model file.
        arena = Arena.ofShared();
        rows = s.rows();
        rowWords = BitPacking.words(s.cols());
        w = BitData.weights(arena, rnd, s.rows(), s.cols());
        ws = scalar.prepare(w, rows, rowWords);
        wv = vector.prepare(w, rows, rowWords);
        x = BitData.inputs(rnd, 1, s.cols());
        out = new int[rows];
        int[] expected = new int[rows];
        scalar.mismatches(ws, rowWords, 0, rows, x, expected);
        vector.mismatches(wv, rowWords, 0, rows, x, out);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException(vector.name() + " differs from scalar at shape " + shape);
        }
        plain = new PlainLoop(w, rows, rowWords);
        plain.mismatches(x, 0, out, 0);
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException("the plain loop differs from scalar at shape " + shape);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int[] scalar() {
        scalar.mismatches(ws, rowWords, 0, rows, x, out);
        return out;
    }

    @Benchmark
    public int[] vector() {
        vector.mismatches(wv, rowWords, 0, rows, x, out);
        return out;
    }

    @Benchmark
    public int[] plain() {
        plain.mismatches(x, 0, out, 0);
        return out;
    }
}
