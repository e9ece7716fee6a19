package dev.bitnet.runtime.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Samples from {@code softmax(logits / temperature)}, optionally restricted to the {@code topK}
 * most likely tokens and then to the smallest set whose probability reaches {@code topP}
 * (nucleus sampling). Sums are taken in double in a fixed order, so the same seed gives the same
 * tokens.
 *
 * <p>Total for any logits: NaN counts as negative infinity; if some logits are positive infinity
 * the choice is uniform among them (the limit of the softmax); if none is above negative
 * infinity, the first candidate (the smallest id) is returned.
 *
 * @param temperature > 0
 * @param topK        keep the k most likely tokens; 0 keeps all
 * @param topP        keep the most likely tokens up to this cumulative probability, in (0, 1]; 1 keeps all
 * @param random      the source of randomness (seeded for reproducible output)
 */
public record TemperatureSampler(float temperature, int topK, float topP, RandomGenerator random) implements Sampler {

    /** @throws IllegalArgumentException for a value outside the ranges above */
    public TemperatureSampler {
        if (!(temperature > 0f) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite value > 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
    }

    @Override
    public int sample(float[] logits) {
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i])) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
        int[] ids = candidates(logits);
        int n = ids.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int id : ids) {
            max = Math.max(max, logits[id]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return ids[0];
        }
        // Every weight is at most 1 and the largest is exactly 1, so 1 <= total <= n.
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            float l = logits[ids[i]];
            p[i] = max == Double.POSITIVE_INFINITY ? (l == max ? 1 : 0) : Math.exp((l - max) / temperature);
            total += p[i];
        }
        if (topP < 1f) {
            n = nucleus(ids, p, total);
            total = 0;
            for (int i = 0; i < n; i++) {
                total += p[i];
            }
        }
        double r = random.nextDouble() * total;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            acc += p[i];
            if (r < acc) {
                return ids[i];
            }
            if (p[i] > 0) {
                last = i;
            }
        }
        return ids[last]; // rounding left r at the sum: the last token with a weight
    }

    /** All ids, or the topK ids with the largest logits (ties to the smaller id), most likely first. */
    private int[] candidates(float[] logits) {
        int v = logits.length;
        if (topK == 0 || topK >= v) {
            int[] all = new int[v];
            Arrays.setAll(all, i -> i);
            return all;
        }
        // Insertion into a sorted array of k: fine for the usual k (tens), linear in V.
        int[] top = new int[topK];
        int size = 0;
        for (int id = 0; id < v; id++) {
            float l = logits[id];
            if (size == topK && !(l > logits[top[size - 1]])) {
                continue;
            }
            int pos = size == topK ? size - 1 : size++;
            while (pos > 0 && l > logits[top[pos - 1]]) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = id;
        }
        return top;
    }

    /**
     * Sorts the candidates by probability (descending, ties by id) and returns how many of them
     * it takes to reach topP of the mass (at least one). A candidate other than the most likely
     * one is needed only if it and the at most n - 2 less likely ones hold more than 1 - topP of
     * the mass, so candidates below {@code (1 - topP) / (n - 1)} of it are dropped before sorting
     * (as llama2.c does). The cut-off never exceeds the top weight (1), which llama2.c's can: with
     * topP below 1 / n it would drop every candidate.
     */
    private int nucleus(int[] ids, double[] p, double total) {
        int n = ids.length;
        double cutoff = n > 1 ? Math.min(1, (1 - topP) / (n - 1) * total) : 0;
        Integer[] order = new Integer[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] >= cutoff) {
                order[kept++] = i;
            }
        }
        Arrays.sort(order, 0, kept, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(ids[a], ids[b]));
        int[] sortedIds = new int[kept];
        double[] sortedP = new double[kept];
        double acc = 0;
        int m = kept;
        for (int i = 0; i < kept; i++) {
            sortedIds[i] = ids[order[i]];
            sortedP[i] = p[order[i]];
            acc += sortedP[i];
            if (acc >= topP * total && m == kept) {
                m = i + 1;
            }
        }
        System.arraycopy(sortedIds, 0, ids, 0, kept);
        System.arraycopy(sortedP, 0, p, 0, kept);
        return m;
    }
}
