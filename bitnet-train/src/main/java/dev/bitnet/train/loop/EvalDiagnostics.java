package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.bitnet.train.model.BitBlock;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.model.PointerAttention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer statistics of an evaluation, written into its {@code metrics.jsonl} line so that a
 * collapse (value rows that no longer depend on the input, pointers that training picks at
 * random, latent weights that stopped moving) shows while a run goes on. Every field is defined
 * in {@code docs/training.md} ("Metrics").
 *
 * <p>Cost: nothing in a training step. The sign flips compare the latent matrices' signs with a
 * copy kept from the previous evaluation (one byte per latent weight, on the parameters'
 * device, in a manager of its own); the attention and value statistics are reduced from an
 * observed evaluation forward's own scores and value rows ({@link PointerAttention#setObserver})
 * on their device, to {@code 2 + d} numbers per layer, read in one copy.
 *
 * <p>Use, per evaluation: {@link #observeNextForward()} before a forward and {@link #collect()}
 * after it (before its manager closes), for the forwards to be measured (the trainer: the first
 * validation batch), then {@link #finishEvaluation()}.
 */
public final class EvalDiagnostics implements AutoCloseable {

    /** A block's latent matrices, in the order they are reported. */
    public static final List<String> PROJECTIONS = List.of("q", "k", "v", "o", "gate", "up", "down");

    private static final String EMBEDDING = "embedding.weight";

    private final List<PointerAttention> attention;
    private final Map<String, NDArray> params;
    private final NDManager state;                               // the signs at the last evaluation
    private final Map<String, NDArray> signs = new LinkedHashMap<>(); // latent name -> boolean, true = +1

    // The current evaluation, per layer.
    private final NDArray[] batchStats;                          // this batch's (2 + d) numbers, on the device
    private final double[] negEntropySum;                        // sum over queries of sum_j p log p
    private final double[] agreeSum;                             // sum over queries of max_j p
    private final long[] queries;                                // (b, h, i) triples seen
    private final double[][] positives;                          // per value column: rows with +1
    private final long[] rows;                                   // value rows seen (b, i)

    /** Statistics of one block at one evaluation; see {@code docs/training.md} for each field. */
    public record LayerStats(int layer, double flip, Map<String, Double> flipByProjection, double attnEntropy,
                             double attnAgree, double valueHamming, double valueConstantColumns) {
    }

    /**
     * What an evaluation found.
     *
     * @param embeddingFlip fraction of the tied embedding's signs flipped since the previous evaluation
     * @param layers        one entry per block, in order
     */
    public record Result(double embeddingFlip, List<LayerStats> layers) {

        /** Adds {@code flip_embedding} and the {@code layers} array to an evaluation line. */
        public void addTo(JsonObject line) {
            line.addProperty("flip_embedding", embeddingFlip);
            JsonArray array = new JsonArray();
            for (LayerStats s : layers) {
                JsonObject o = new JsonObject();
                o.addProperty("layer", s.layer());
                o.addProperty("flip", s.flip());
                s.flipByProjection().forEach((p, f) -> o.addProperty("flip_" + p, f));
                if (!Double.isNaN(s.attnEntropy())) {
                    o.addProperty("attn_entropy", s.attnEntropy());
                    o.addProperty("attn_agree", s.attnAgree());
                    o.addProperty("value_hamming", s.valueHamming());
                    o.addProperty("value_constant_columns", s.valueConstantColumns());
                }
                array.add(o);
            }
            line.add("layers", array);
        }
    }

    /**
     * Remembers the signs of {@code params}' latent matrices (the tied embedding and every
     * block's seven): flips are counted from here until the first evaluation.
     *
     * @param model  the model whose evaluation forwards are observed
     * @param params its trained arrays by checkpoint name (read at each evaluation, never written)
     * @param device where the parameters live
     */
    public EvalDiagnostics(BitLM model, Map<String, NDArray> params, Device device) {
        this.attention = model.getLayers().stream().map(BitBlock::getAttention).toList();
        this.params = params;
        int n = attention.size();
        batchStats = new NDArray[n];
        negEntropySum = new double[n];
        agreeSum = new double[n];
        queries = new long[n];
        positives = new double[n][];
        rows = new long[n];
        state = NDManager.newBaseManager(device);
        for (String name : latentNames(n)) {
            NDArray w = params.get(name);
            if (w == null) {
                throw new IllegalArgumentException("no latent matrix " + name + " among the parameters");
            }
            try (NDArray zero = state.zeros(new Shape())) {
                signs.put(name, zero.lte(w));                   // sign(w) = +1 iff w >= 0 (-0 included)
            }
        }
    }

    private static List<String> latentNames(int layers) {
        List<String> names = new ArrayList<>();
        names.add(EMBEDDING);
        for (int l = 0; l < layers; l++) {
            for (String p : PROJECTIONS) {
                names.add(matrixName(l, p));
            }
        }
        return names;
    }

    private static String matrixName(int layer, String projection) {
        String block = switch (projection) {
            case "gate", "up", "down" -> "ffn.";
            default -> "attn.";
        };
        return "layers." + layer + "." + block + projection + ".weight";
    }

    /**
     * Makes the model's next evaluation forward show its scores and value rows to this object
     * (read them with {@link #collect()}).
     */
    public void observeNextForward() {
        discardObserved();
        for (int l = 0; l < attention.size(); l++) {
            int layer = l;
            attention.get(l).setObserver((score, values) -> observe(layer, score, values));
        }
    }

    private void stopObserving() {
        for (PointerAttention a : attention) {
            a.setObserver(null);
        }
    }

    /** Forgets what a forward whose statistics were never collected left (an evaluation that failed). */
    private void discardObserved() {
        for (int l = 0; l < batchStats.length; l++) {
            if (batchStats[l] != null) {
                batchStats[l].close();
                batchStats[l] = null;
            }
        }
    }

    /**
     * Reduces one layer's scores and value rows to {@code 2 + d} numbers on their device:
     * {@code sum p log p} and {@code sum max_j p} over the queries, with
     * {@code p = softmax_j(score)}, then the number of rows with {@code +1} in each value column.
     */
    private void observe(int layer, NDArray score, NDArray values) {
        Shape s = score.getShape();                                              // (B, H, T, T)
        queries[layer] += s.get(0) * s.get(1) * s.get(2);
        rows[layer] += s.get(0) * s.get(2);
        NDManager m = score.getManager();
        NDArray negEntropy;
        NDArray agree;
        try (NDArray logp = score.logSoftmax(-1); NDArray p = logp.exp(); NDArray maxP = p.max(new int[] {-1})) {
            agree = maxP.sum();
            // Masked keys have p = 0 and log p = -inf; the floor makes their p log p exactly 0.
            try (NDArray floor = m.full(new Shape(), -Float.MAX_VALUE); NDArray finite = logp.maximum(floor)) {
                negEntropy = p.muli(finite).sum();
            }
        }
        NDArray columns;
        try (NDArray zero = m.zeros(new Shape()); NDArray positive = zero.lte(values);   // sign(v) = +1
             NDArray counts = positive.toType(DataType.FLOAT32, false);
             NDArray perHead = counts.sum(new int[] {0, 2})) {                   // (H, d_head)
            columns = perHead.reshape(-1);                                       // (d), head-major as concat_h
        }
        try (negEntropy; agree; columns; NDArray e = negEntropy.reshape(1); NDArray a = agree.reshape(1)) {
            if (batchStats[layer] != null) {
                batchStats[layer].close();
                throw new IllegalStateException("layer " + layer + " was evaluated twice before collect()");
            }
            batchStats[layer] = NDArrays.concat(new NDList(e, a, columns));
        }
    }

    /**
     * Reads the statistics of the forward observed since {@link #observeNextForward()} (one copy
     * from the device), adds them to this evaluation's, and stops observing. Call it before that
     * forward's manager closes.
     */
    public void collect() {
        stopObserving();
        for (int l = 0; l < batchStats.length; l++) {
            if (batchStats[l] == null) {
                throw new IllegalStateException("no evaluation forward of layer " + l + " was observed");
            }
        }
        float[] v;
        try (NDList all = new NDList(batchStats); NDArray joined = NDArrays.concat(all)) {
            v = joined.toFloatArray();
        }
        Arrays.fill(batchStats, null);
        int width = v.length / batchStats.length;
        for (int l = 0; l < batchStats.length; l++) {
            int at = l * width;
            negEntropySum[l] += v[at];
            agreeSum[l] += v[at + 1];
            if (positives[l] == null) {
                positives[l] = new double[width - 2];
            }
            for (int c = 0; c < width - 2; c++) {
                positives[l][c] += v[at + 2 + c];
            }
        }
    }

    /**
     * Counts the sign flips since the previous evaluation (and remembers the current signs for the
     * next), and returns them with the statistics of the forwards collected since the previous
     * evaluation; then starts a new evaluation.
     */
    public Result finishEvaluation() {
        stopObserving();
        discardObserved();
        Map<String, Double> flips = flips();
        List<LayerStats> layers = new ArrayList<>();
        for (int l = 0; l < attention.size(); l++) {
            Map<String, Double> byProjection = new LinkedHashMap<>();
            double flipped = 0;
            long size = 0;
            for (String p : PROJECTIONS) {
                String name = matrixName(l, p);
                long n = signs.get(name).size();
                byProjection.put(p, flips.get(name));
                flipped += flips.get(name) * n;
                size += n;
            }
            layers.add(layerStats(l, flipped / size, byProjection));
        }
        Arrays.fill(negEntropySum, 0);
        Arrays.fill(agreeSum, 0);
        Arrays.fill(queries, 0);
        Arrays.fill(positives, null);
        Arrays.fill(rows, 0);
        return new Result(flips.get(EMBEDDING), layers);
    }

    private LayerStats layerStats(int l, double flip, Map<String, Double> byProjection) {
        if (queries[l] == 0) {
            return new LayerStats(l, flip, byProjection, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double n = rows[l];
        double hamming = 0;
        int constant = 0;
        for (double plus : positives[l]) {
            // Two rows drawn independently differ in this column with probability 2 n+ n- / n^2.
            hamming += 2 * plus * (n - plus) / (n * n);
            if (plus == 0 || plus == n) {
                constant++;
            }
        }
        int d = positives[l].length;
        return new LayerStats(l, flip, byProjection, -negEntropySum[l] / queries[l], agreeSum[l] / queries[l],
                hamming / d, (double) constant / d);
    }

    /** Fraction of each latent matrix's signs that changed since the last call; keeps the new signs. */
    private Map<String, Double> flips() {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(signs.keySet());
        long[] changed;
        try (NDManager sm = state.newSubManager(); NDArray zero = sm.zeros(new Shape()); NDList counts = new NDList()) {
            for (String name : names) {
                NDArray now = zero.lte(params.get(name));
                try (NDArray differ = now.neq(signs.get(name))) {
                    counts.add(differ.sum());                    // int64: PyTorch sums booleans as integers
                }
                now.attach(state);
                signs.put(name, now).close();
            }
            try (NDArray stacked = NDArrays.stack(counts)) {
                changed = stacked.toLongArray();
            }
        }
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), (double) changed[i] / signs.get(names.get(i)).size());
        }
        return out;
    }

    /** Arrays held between evaluations (the remembered signs, one per latent matrix): a leak check. */
    int heldArrayCount() {
        return state.getManagedArrays().size();
    }

    @Override
    public void close() {
        stopObserving();
        discardObserved();
        state.close();
    }
}
