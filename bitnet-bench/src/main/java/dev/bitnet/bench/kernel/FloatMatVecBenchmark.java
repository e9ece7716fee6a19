package dev.bitnet.bench.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
 * The float32 matrix-vector product at {@link BinaryMatVecBenchmark}'s shapes: 32x the bytes of
 * the ±1 weights, so the two together show what one bit per weight buys in speed and size.
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
public class FloatMatVecBenchmark {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param({"512x512", "512x2048", "2048x512", "50257x512", "1024x4096", "4096x1024", "1000x777"})
    public String shape;

    private Arena arena;
    private MemorySegment w;
    private int rows;
    private int cols;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        MatrixShape s = MatrixShape.parse(shape);
        rows = s.rows();
        cols = s.cols();
        SplittableRandom rnd = new SplittableRandom(20_260_126L);
        arena = Arena.ofShared();
        w = arena.allocate((long) rows * cols * Float.BYTES, 64);
        for (long i = 0; i < (long) rows * cols; i++) {
            w.set(FLOAT, i * Float.BYTES, (float) rnd.nextGaussian() * 0.02f);
        }
        x = new float[cols];
        for (int k = 0; k < cols; k++) {
            x[k] = (float) rnd.nextGaussian();
        }
        out = new float[rows];
        FloatMatVec.matVec(w, cols, 0, rows, x, out);
        double[] expected = new double[rows];
        FloatMatVec.reference(w, rows, cols, x, expected);
        for (int r = 0; r < rows; r++) {
            // Float sums in another order: allow rounding, relative to the terms' magnitude.
            if (Math.abs(out[r] - expected[r]) > 1e-4 * Math.sqrt(cols)) {
                throw new IllegalStateException("float kernel row " + r + ": " + out[r] + " != " + expected[r]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] vector() {
        FloatMatVec.matVec(w, cols, 0, rows, x, out);
        return out;
    }
}
