package dev.bitnet.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistillationTest {

    private static final int B = 2;
    private static final int T = 3;
    private static final int V = 5;

    private static float[] randomLogits(Random r) {
        float[] x = new float[B * T * V];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 2f;
        }
        return x;
    }

    @Test
    void aTeacherThatPutsAllItsMassOnTheTargetsGivesTheCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(3);
            NDArray logits = m.create(randomLogits(r), new Shape(B, T, V));
            NDArray targets = m.create(new int[] {0, 4, 2, 1, 1, 3}, new Shape(B, T));
            NDArray ce = Losses.meanCrossEntropy(logits, targets);
            NDArray oneHot = targets.oneHot(V).toType(DataType.FLOAT32, false);
            float loss = new Distillation(null, 0.5f).loss(logits, ce, oneHot).getFloat();
            assertThat(loss).isCloseTo(ce.getFloat(), within(1e-6f));
        }
    }

    @Test
    void theLossMixesTheCrossEntropyAndTheTeachersCrossEntropyByTheWeight() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(4);
            float[] l = randomLogits(r);
            float[] t = new float[B * T * V];
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) (i % V + 1) / 15f;          // 1/15 .. 5/15: sums to 1 per position
            }
            NDArray logits = m.create(l, new Shape(B, T, V));
            NDArray ce = m.create(2.5f);
            float loss = new Distillation(null, 0.25f).loss(logits, ce, m.create(t, new Shape(B, T, V))).getFloat();
            double soft = 0;
            for (int p = 0; p < B * T; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    max = Math.max(max, l[p * V + v]);
                }
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(l[p * V + v] - max);
                }
                for (int v = 0; v < V; v++) {
                    soft -= t[p * V + v] * (l[p * V + v] - max - Math.log(sum));
                }
            }
            soft /= B * T;
            assertThat((double) loss).isCloseTo(0.75 * 2.5 + 0.25 * soft, within(1e-5));
        }
    }
}
