package dev.bitnet.bench.attention;

import dev.bitnet.bench.floattwin.SoftmaxAttention;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.runtime.kernel.PointerScan;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One query's attention over {@code context} cached keys, all H = 8 heads of d_head = 64 (the
 * 75m preset's attention shape): the 1-bit model's pointer attention (argmax over packed ±1 keys
 * with ALiBi, ties to the smallest j) as a full scan ({@link #full}) and as the runtime computes
 * it, with its early exit ({@link #earlyExit}: the runtime's {@link PointerScan}), against the
 * float twin's softmax attention ({@link #softmax}) at the same contexts. One operation is one
 * query, every head, its chosen (or weighted) values written out.
 *
 * <p>Keys and queries are seeded random bits, so the early exit stops where random keys make it
 * stop (the setup prints how many keys it scored per head): a trained model's keys may let it
 * stop sooner or later. The softmax's cost does not depend on the values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Enough warm-up for C2 to compile the scans; override with -wi/-w for quick runs.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Module flag prepended so that -jvmArgsAppend cannot drop it; -Xms = -Xmx and AlwaysPreTouch keep
// heap growth out of the measurement.
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class PointerAttentionBenchmark {

    private static final int HEADS = 8;
    private static final int DH = 64;
    private static final int HW = DH / 64;
    /** Slots beyond the window, as the runtime's caches (window + one prefill chunk). */
    private static final int EXTRA_SLOTS = 64;
    /** Random queries the setup checks the scans with. */
    private static final int CHECKED_QUERIES = 256;

    @Param({"256", "1024", "4096"})
    public int context;

    private final float scale = BitMath.invSqrt(DH);
    private final float[] slopes = BitMath.alibiSlopes(HEADS);
    private int cap;
    private long query;           // absolute position of the query: the rings have wrapped
    private long[] keyBits;       // (H, cap, HW) head-major ring of ±1 keys
    private long[] valueBits;     // (H, cap, HW)
    private long[] queryBits;     // (H, HW)
    private long[] outBits;       // (H, HW) chosen values
    private float[] keyFloats;    // (H, cap, DH) the twin's key cache
    private float[] valueFloats;  // (H, cap, DH)
    private float[] queryFloats;  // (H * DH)
    private float[] scores;       // (context)
    private float[] outFloats;    // (H * DH)

    @Setup(Level.Trial)
    public void setUp() {
        cap = context + EXTRA_SLOTS;
        query = 3L * cap + 5;
        SplittableRandom rnd = new SplittableRandom(context);
        keyBits = rnd.longs((long) HEADS * cap * HW).toArray();
        valueBits = rnd.longs((long) HEADS * cap * HW).toArray();
        queryBits = rnd.longs(HEADS * HW).toArray();
        outBits = new long[HEADS * HW];
        keyFloats = gaussian(HEADS * cap * DH, rnd);
        valueFloats = gaussian(HEADS * cap * DH, rnd);
        queryFloats = gaussian(HEADS * DH, rnd);
        scores = new float[context];
        outFloats = new float[HEADS * DH];
        check(rnd);
    }

    /** Full scan, early exit and the spec's definition pick the same key; prints how far the early exit looks. */
    private void check(SplittableRandom rnd) {
        long[] q = new long[HW];
        long[] scanned = new long[HEADS];
        for (int n = 0; n < CHECKED_QUERIES; n++) {
            long pos = n == 0 ? query : cap + rnd.nextLong(2L * cap);
            for (int w = 0; w < HW; w++) {
                q[w] = rnd.nextLong();
            }
            for (int h = 0; h < HEADS; h++) {
                int full = fullScan(q, 0, h, pos);
                int early = PointerScan.bestSlot(keyBits, cap, h, q, 0, DH, scale, slopes[h], context, pos);
                int spec = definition(q, h, pos);
                if (full != spec || early != full) {
                    throw new IllegalStateException("pointer attention at context " + context + ", head " + h
                            + ", query " + pos + ": definition slot " + spec + ", full scan " + full + ", early exit " + early);
                }
                scanned[h] += scanned(q, h, pos);
            }
        }
        StringBuilder s = new StringBuilder("\nearly exit at context " + context + ", keys scored per head (mean of "
                + CHECKED_QUERIES + " random queries):");
        for (int h = 0; h < HEADS; h++) {
            s.append(' ').append(scanned[h] / CHECKED_QUERIES);
        }
        System.out.println(s);
    }

    // MODEL.md literally: j ascending over the window, strict ">" so ties keep the smallest j
    private int definition(long[] q, int h, long i) {
        long first = Math.max(0, i - context + 1);
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        for (long j = first; j <= i; j++) {
            int slot = (int) (j % cap);
            float score = (float) (dot(q, 0, h, slot) * scale) - (float) (slopes[h] * (float) (i - j));
            if (score > best) {
                best = score;
                bestSlot = slot;
            }
        }
        return bestSlot;
    }

    /** Pointer attention, every key of the window scored. */
    @Benchmark
    public long[] full() {
        for (int h = 0; h < HEADS; h++) {
            int slot = fullScan(queryBits, h * HW, h, query);
            System.arraycopy(valueBits, (h * cap + slot) * HW, outBits, h * HW, HW);
        }
        return outBits;
    }

    /** Pointer attention with the runtime's early exit. */
    @Benchmark
    public long[] earlyExit() {
        for (int h = 0; h < HEADS; h++) {
            int slot = PointerScan.bestSlot(keyBits, cap, h, queryBits, h * HW, DH, scale, slopes[h], context, query);
            System.arraycopy(valueBits, (h * cap + slot) * HW, outBits, h * HW, HW);
        }
        return outBits;
    }

    /** The float twin's softmax attention over the same number of keys. */
    @Benchmark
    public float[] softmax() {
        int slot = (int) (query % cap);
        for (int h = 0; h < HEADS; h++) {
            SoftmaxAttention.attend(queryFloats, h * DH, keyFloats, valueFloats, h * cap * DH, cap, DH,
                    slot, context, slopes[h], scale, scores, outFloats, h * DH);
        }
        return outFloats;
    }

    // The runtime's scan without its cut-off: every key of the window, nearest first, ">=" so ties go to the smallest j.
    private int fullScan(long[] q, int qOff, int h, long i) {
        int reach = (int) Math.min(i, context - 1);
        int bestSlot = -1;
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (i % cap);
        for (int dist = 0; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float score = dot(q, qOff, h, slot) * scale - slopes[h] * (float) dist;
            if (score >= best) {
                best = score;
                bestSlot = slot;
            }
        }
        return bestSlot;
    }

    // Keys the runtime's scan scores before its cut-off stops it (same loop, counting).
    private int scanned(long[] q, int h, long i) {
        int reach = (int) Math.min(i, context - 1);
        float maxDot = DH * scale;
        float best = Float.NEGATIVE_INFINITY;
        int slot = (int) (i % cap);
        int dist = 0;
        for (; dist <= reach; dist++, slot = slot == 0 ? cap - 1 : slot - 1) {
            float penalty = slopes[h] * (float) dist;
            if (maxDot - penalty < best) {
                break;
            }
            best = Math.max(best, dot(q, 0, h, slot) * scale - penalty);
        }
        return dist;
    }

    // q . k of head h's key in `slot`, ±1 vectors of d_head bits: d_head - 2 * mismatches
    private int dot(long[] q, int qOff, int h, int slot) {
        int mismatches = 0;
        for (int w = 0; w < HW; w++) {
            mismatches += Long.bitCount(q[qOff + w] ^ keyBits[(h * cap + slot) * HW + w]);
        }
        return DH - 2 * mismatches;
    }

    private static float[] gaussian(int n, SplittableRandom rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
