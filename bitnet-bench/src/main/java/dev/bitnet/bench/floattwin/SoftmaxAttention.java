package dev.bitnet.bench.floattwin;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float twin's attention for one query and one head: softmax over
 * {@code (q . k_j) * (1/sqrt(d_head)) - m_h * (i - j)} for the cached keys, then the
 * probability-weighted sum of the cached values. Caches are rings of {@code cap} slots of
 * {@code dh} floats per head; the query's own key is already stored at {@code slot}.
 */
public final class SoftmaxAttention {

    private SoftmaxAttention() {
    }

    /**
     * Writes head output {@code out[outOff..outOff+dh)}.
     *
     * @param q      query floats at {@code qOff} ({@code dh} of them)
     * @param kc     key cache, slot {@code s} of this head at {@code base + s * dh}
     * @param vc     value cache, same layout
     * @param slot   the query's own slot (distance 0)
     * @param keys   keys to attend over, nearest first (1..cap)
     * @param slope  the head's ALiBi slope
     * @param scale  {@code (float)(1/sqrt(dh))}
     * @param scores scratch of at least {@code keys} floats
     */
    public static void attend(float[] q, int qOff, float[] kc, float[] vc, int base, int cap, int dh,
                              int slot, int keys, float slope, float scale, float[] scores,
                              float[] out, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        int s = slot;
        for (int dist = 0; dist < keys; dist++, s = s == 0 ? cap - 1 : s - 1) {
            float score = FloatKernel.dot(q, qOff, kc, base + s * dh, dh) * scale - slope * (float) dist;
            scores[dist] = score;
            max = Math.max(max, score);
        }
        // exp over all scores at once: the Vector API's EXP is an intrinsic, Math.exp one call a key
        FloatVector mv = FloatVector.broadcast(FloatKernel.SPECIES, max);
        FloatVector sv = FloatVector.zero(FloatKernel.SPECIES);
        int upper = FloatKernel.SPECIES.loopBound(keys);
        int dist = 0;
        for (; dist < upper; dist += FloatKernel.SPECIES.length()) {
            FloatVector p = FloatVector.fromArray(FloatKernel.SPECIES, scores, dist).sub(mv).lanewise(VectorOperators.EXP);
            p.intoArray(scores, dist);
            sv = sv.add(p);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; dist < keys; dist++) {
            float p = (float) Math.exp(scores[dist] - max);
            scores[dist] = p;
            sum += p;
        }
        Arrays.fill(out, outOff, outOff + dh, 0f);
        float inv = 1f / sum;
        s = slot;
        for (dist = 0; dist < keys; dist++, s = s == 0 ? cap - 1 : s - 1) {
            FloatKernel.axpy(scores[dist] * inv, vc, base + s * dh, out, outOff, dh);
        }
    }
}
