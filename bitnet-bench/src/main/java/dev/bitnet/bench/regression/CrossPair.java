package dev.bitnet.bench.regression;

import java.util.List;

/**
 * Two different benchmarks whose ratio is worth watching: {@code numerator} and
 * {@code denominator} are fully qualified benchmark methods, paired wherever their common
 * {@code @Param}s have equal values (same shape).
 *
 * @param name        the ratio's name in reports
 * @param numerator   the benchmark expected to be faster
 * @param denominator the reference benchmark
 */
public record CrossPair(String name, String numerator, String denominator) {

    private static final String KERNEL = "dev.bitnet.bench.kernel.";

    /**
     * The 1-bit kernel against the float baseline doing the same matrix-vector product, both
     * vectorised, at the same {@code shape}. Add a line here when a 1-bit benchmark gets a float
     * twin.
     */
    public static final List<CrossPair> ONE_BIT_VS_FLOAT = List.of(
            new CrossPair("matVec (vector kernels)",
                    KERNEL + "BinaryMatVecBenchmark.vector", KERNEL + "FloatMatVecBenchmark.vector"));
}
