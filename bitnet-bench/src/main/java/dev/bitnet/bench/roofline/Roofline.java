package dev.bitnet.bench.roofline;

/**
 * The two ceilings the machine puts on tokens/s, as measured by {@code kernel.RooflineBenchmark}:
 * the XOR + popcount rate of one core with its data in L1, and the streaming-read bandwidth from
 * memory. A token that XOR-popcounts {@code b} weight bits cannot run faster than
 * {@code threads x rate / b} tokens/s (each thread has its own core's popcount units); one that
 * reads {@code B} weight bytes cannot run faster than {@code bandwidth / B} (one memory bus for
 * all threads).
 *
 * @param popcountBitsPerSecond weight bits one core XOR-popcounts per second (binary MACs per second)
 * @param memoryBytesPerSecond  bytes per second read from memory
 */
public record Roofline(double popcountBitsPerSecond, double memoryBytesPerSecond) {

    public Roofline {
        if (!(popcountBitsPerSecond > 0 && memoryBytesPerSecond > 0)) {
            throw new IllegalArgumentException("roofline rates must be positive, got popcount " + popcountBitsPerSecond
                    + " bits/s, memory " + memoryBytesPerSecond + " B/s");
        }
    }

    /** Tokens/s the popcount rate allows to {@code threads} threads, one core each. */
    public double popcountTokensPerSecond(WeightTraffic traffic, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return threads * popcountBitsPerSecond / traffic.bitsPerToken();
    }

    /** Tokens/s the memory bandwidth allows, whatever the threads. */
    public double memoryTokensPerSecond(WeightTraffic traffic) {
        return memoryBytesPerSecond / traffic.bytesPerToken();
    }
}
