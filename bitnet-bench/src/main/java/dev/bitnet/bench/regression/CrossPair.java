package dev.bitnet.bench.regression;

import java.util.List;

/**
 * Two different benchmarks whose ratio is worth watching: {@code numerator} and
 * {@code denominator} are fully qualified benchmark methods, paired wherever their common
 * {@code @Param}s have equal values (same shape).
 *
 * @param kind        what the ratio compares
 * @param name        the ratio's name in reports
 * @param numerator   the benchmark expected to be faster
 * @param denominator the reference benchmark
 */
public record CrossPair(RatioKind kind, String name, String numerator, String denominator) {

    private static final String BENCH = "dev.bitnet.bench.";

    /**
     * The pairs of different benchmarks {@code ./bitnet bench} judges. Add a line when a
     * benchmark gets a twin to compare with.
     */
    public static final List<CrossPair> TABLE = List.of(
            // the same matrix-vector product, one bit against float32 per weight, both vectorised
            new CrossPair(RatioKind.ONE_BIT_FLOAT, "matVec (vector kernels)",
                    BENCH + "kernel.BinaryMatVecBenchmark.vector", BENCH + "kernel.FloatMatVecBenchmark.vector"),
            // one decoded token of the same preset (tiny, 75m): the 1-bit runtime against its float32 twin (floattwin)
            new CrossPair(RatioKind.ONE_BIT_FLOAT, "1-bit/float end-to-end decode",
                    BENCH + "runtime.EndToEndBenchmark.decode", BENCH + "floattwin.FloatTwinBenchmark.decode"),
            // GPT-2 encoding of the same text: bitnet-core against jtokkit, a reference that does not change
            new CrossPair(RatioKind.OURS_REFERENCE, "GPT-2 encode (bitnet/jtokkit)",
                    BENCH + "TokenizerBenchmark.bitnet", BENCH + "TokenizerBenchmark.jtokkit"));
}
