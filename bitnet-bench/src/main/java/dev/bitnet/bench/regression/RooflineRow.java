package dev.bitnet.bench.regression;

/**
 * One end-to-end figure against the roofline bounds measured in the same run.
 *
 * @param result          the end-to-end result ({@code EndToEndBenchmark.decode} or {@code .prefill})
 * @param preset          the model preset it ran
 * @param keys            keys each decoded token attended over (the context clamped to T); 0 for prefill
 * @param tokensPerSecond the measured speed
 * @param popcountBound   tokens/s the measured popcount rate allows with the result's threads
 * @param memoryBound     tokens/s the measured memory bandwidth allows
 */
public record RooflineRow(BenchResult result, String preset, int keys, double tokensPerSecond,
                          double popcountBound, double memoryBound) {

    /** The measured speed as a fraction of the popcount bound. */
    public double popcountFraction() {
        return tokensPerSecond / popcountBound;
    }

    /** The measured speed as a fraction of the memory-bandwidth bound. */
    public double memoryFraction() {
        return tokensPerSecond / memoryBound;
    }
}
