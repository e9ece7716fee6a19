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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prefill: {@value #N} inputs against one weight matrix, batched ({@code mismatchesBatch}, each
 * weight row read once per tile of inputs) against {@value #N} separate products. Scores are
 * per input (via {@code @OperationsPerInvocation}), so they compare directly with
 * {@link BinaryMatVecBenchmark}'s products per second; {@link #plainEach} is the yardstick, the
 * {@link PlainLoop} once per input.
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
public class BinaryMatMulBenchmark {

    /** Inputs per batch: a 64-token prompt chunk. */
    static final int N = 64;

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
    private long[] xs;
    private long[][] xEach;
    private int[] out;
    private int[][] outEach;
    private PlainLoop plain;

    @Setup(Level.Trial)
    public void setUp() {
        MatrixShape s = MatrixShape.parse(shape);
        SplittableRandom rnd = new SplittableRandom(20_260_126L);
        arena = Arena.ofShared();
        rows = s.rows();
        rowWords = BitPacking.words(s.cols());
        w = BitData.weights(arena, rnd, s.rows(), s.cols());
        ws = scalar.prepare(w, rows, rowWords);
        wv = vector.prepare(w, rows, rowWords);
        xs = BitData.inputs(rnd, N, s.cols());
        xEach = new long[N][];
        outEach = new int[N][rows];
        for (int i = 0; i < N; i++) {
            xEach[i] = Arrays.copyOfRange(xs, i * rowWords, (i + 1) * rowWords);
        }
        out = new int[N * rows];
        int[] expected = new int[N * rows];
        scalar.mismatchesBatch(ws, rowWords, 0, rows, xs, N, expected, rows);
        vector.mismatchesBatch(wv, rowWords, 0, rows, xs, N, out, rows);
        vectorEach();
        for (int i = 0; i < N; i++) {
            if (!Arrays.equals(expected, i * rows, (i + 1) * rows, outEach[i], 0, rows)) {
                throw new IllegalStateException("one-by-one differs from scalar batch at shape " + shape);
            }
        }
        if (!Arrays.equals(expected, out)) {
            throw new IllegalStateException(vector.name() + " batch differs from scalar at shape " + shape);
        }
        plain = new PlainLoop(w, rows, rowWords);
        plainEach();
        for (int i = 0; i < N; i++) {
            if (!Arrays.equals(expected, i * rows, (i + 1) * rows, outEach[i], 0, rows)) {
                throw new IllegalStateException("the plain loop differs from scalar at shape " + shape);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] scalarBatch() {
        scalar.mismatchesBatch(ws, rowWords, 0, rows, xs, N, out, rows);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] vectorBatch() {
        vector.mismatchesBatch(wv, rowWords, 0, rows, xs, N, out, rows);
        return out;
    }

    /** The same work as {@link #vectorBatch} without batching: the weights stream through N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int[][] vectorEach() {
        for (int i = 0; i < N; i++) {
            vector.mismatches(wv, rowWords, 0, rows, xEach[i], outEach[i]);
        }
        return outEach;
    }

    /** The plain loop once per input: the same words as {@link #vectorBatch}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int[][] plainEach() {
        for (int i = 0; i < N; i++) {
            plain.mismatches(xs, i * rowWords, outEach[i], 0);
        }
        return outEach;
    }
}
