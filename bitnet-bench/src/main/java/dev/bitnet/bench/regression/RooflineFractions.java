package dev.bitnet.bench.regression;

import dev.bitnet.bench.kernel.RooflineBenchmark;
import dev.bitnet.bench.roofline.Roofline;
import dev.bitnet.bench.roofline.WeightTraffic;
import dev.bitnet.bench.runtime.EndToEndBenchmark;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.runtime.engine.Forward;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The end-to-end figures of one run as fractions of the roofline measured in the same run:
 * {@code RooflineBenchmark}'s popcount rate with data in L1 (the faster of {@code xorPopcount}
 * and {@code xorPopcountScalar} at {@value RooflineBenchmark#L1_BYTES} bytes) and its memory
 * bandwidth ({@code sum} at {@value RooflineBenchmark#MEMORY_BYTES} bytes), against the weights
 * each token of {@code EndToEndBenchmark.decode} and {@code .prefill} touches
 * ({@link WeightTraffic}). Results without a {@code preset} param (runs from before it existed)
 * are left out.
 *
 * @param roofline        the measured bounds; null when the run lacks either roofline figure
 * @param rows            one per end-to-end result, empty without a roofline
 * @param endToEndResults the end-to-end results the run has (with or without a roofline)
 */
public record RooflineFractions(Roofline roofline, List<Row> rows, int endToEndResults) {

    static final String ROOFLINE = "dev.bitnet.bench.kernel.RooflineBenchmark.";
    static final String END_TO_END = "dev.bitnet.bench.runtime.EndToEndBenchmark.";
    private static final Set<String> POPCOUNT = Set.of(ROOFLINE + "xorPopcount", ROOFLINE + "xorPopcountScalar");

    public RooflineFractions {
        rows = List.copyOf(rows);
    }

    /** Finds the roofline and the end-to-end results in {@code results} and divides. */
    public static RooflineFractions of(List<BenchResult> results) {
        double popcount = 0;
        double memory = 0;
        List<BenchResult> endToEnd = new ArrayList<>();
        for (BenchResult r : results) {
            String bytes = r.params().get("bytes");
            if (POPCOUNT.contains(r.benchmark()) && RooflineBenchmark.L1_BYTES.equals(bytes)) {
                popcount = Math.max(popcount, r.opsPerSecond() * Long.parseLong(bytes) * Byte.SIZE);
            } else if (r.benchmark().equals(ROOFLINE + "sum") && RooflineBenchmark.MEMORY_BYTES.equals(bytes)) {
                memory = Math.max(memory, r.opsPerSecond() * Long.parseLong(bytes));
            } else if (isEndToEnd(r)) {
                endToEnd.add(r);
            }
        }
        if (popcount == 0 || memory == 0) {
            return new RooflineFractions(null, List.of(), endToEnd.size());
        }
        Roofline roofline = new Roofline(popcount, memory);
        List<Row> rows = new ArrayList<>();
        for (BenchResult r : endToEnd) {
            ModelConfig config = ModelConfig.preset(r.params().get("preset"));
            int threads = Integer.parseInt(r.params().get("threads"));
            boolean decode = r.methodName().equals("decode");
            WeightTraffic traffic = decode
                    ? WeightTraffic.decode(config)
                    : WeightTraffic.prefill(config, EndToEndBenchmark.PROMPT, Forward.CHUNK);
            int keys = decode ? EndToEndBenchmark.decodeWindow(config, Integer.parseInt(r.params().get("context"))) : 0;
            rows.add(new Row(r, r.params().get("preset"), keys, r.opsPerSecond(),
                    roofline.popcountTokensPerSecond(traffic, threads), roofline.memoryTokensPerSecond(traffic)));
        }
        return new RooflineFractions(roofline, rows, endToEnd.size());
    }

    // decode or prefill of a known preset, with the params the bounds need
    private static boolean isEndToEnd(BenchResult r) {
        String method = r.methodName();
        if (!r.benchmark().equals(END_TO_END + method) || !(method.equals("decode") || method.equals("prefill"))) {
            return false;
        }
        String preset = r.params().get("preset");
        return preset != null && ModelConfig.presetNames().contains(preset) && r.params().containsKey("threads")
                && (method.equals("prefill") || r.params().containsKey("context"));
    }

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
    public record Row(BenchResult result, String preset, int keys, double tokensPerSecond,
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
}
