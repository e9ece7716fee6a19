package dev.bitnet.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdamWTest {

    private static final double B1 = 0.9;
    private static final double B2 = 0.95;
    private static final double EPS = 1e-3; // large, so that where eps enters is visible
    private static final double WD = 0.1;

    /** Sets d(loss)/dw = c for every parameter by backpropagating sum(w * c) through the flat views. */
    private static void backward(NDManager root, FlatParameters flat, Map<String, float[]> c) {
        try (NDManager step = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Map.Entry<String, NDArray> e : flat.views(flat.all(), step).entrySet()) {
                NDArray term = e.getValue().mul(step.create(c.get(e.getKey()))).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private static Map<String, NDArray> params(NDManager root, float[] w, float[] b) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("layers.0.attn.q.weight", root.create(w));
        p.put("layers.0.attn.q.alpha", root.create(b));
        p.values().forEach(a -> a.setRequiresGradient(true));
        return p;
    }

    /** torch.optim.AdamW in double, one element. */
    private static double[] reference(double w, double m, double v, double g, int t, double lr, double wd) {
        m = B1 * m + (1 - B1) * g;
        v = B2 * v + (1 - B2) * g * g;
        w = w - lr * wd * w;
        double mHat = m / (1 - Math.pow(B1, t));
        double vHat = v / (1 - Math.pow(B2, t));
        w = w - lr * mHat / (Math.sqrt(vHat) + EPS);
        return new double[] {w, m, v};
    }

    @Test
    void twoStepsMatchTheHandComputedUpdateAndDecayOnlyLatentMatrices() {
        float[] w0 = {0.5f, -0.25f, 0.125f};
        float[] b0 = {1.0f, 0.3f};
        float[][] gw = {{0.2f, -0.4f, 0.002f}, {-0.1f, 0.3f, 0.0005f}};
        float[][] gb = {{0.05f, -1.5f}, {0.5f, 0.01f}};
        double[] lrs = {0.01, 0.02};
        double scale = 0.5;
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(root, w0, b0);
            FlatParameters flat = new FlatParameters(p, name -> name.endsWith(".weight"));
            assertThat(flat.names()).containsExactly("layers.0.attn.q.weight", "layers.0.attn.q.alpha");
            assertThat(flat.decayedSize()).isEqualTo(w0.length);
            AdamW opt = new AdamW(flat, B1, B2, EPS, WD);
            double[][] sw = new double[w0.length][];
            double[][] sb = new double[b0.length][];
            for (int i = 0; i < w0.length; i++) {
                sw[i] = new double[] {w0[i], 0, 0};
            }
            for (int i = 0; i < b0.length; i++) {
                sb[i] = new double[] {b0[i], 0, 0};
            }
            for (int t = 0; t < 2; t++) {
                backward(root, flat, Map.of("layers.0.attn.q.weight", gw[t], "layers.0.attn.q.alpha", gb[t]));
                try (NDManager step = root.newSubManager()) {
                    opt.update(step, lrs[t], scale);
                }
                for (int i = 0; i < w0.length; i++) {
                    sw[i] = reference(sw[i][0], sw[i][1], sw[i][2], scale * gw[t][i], t + 1, lrs[t], WD);
                }
                for (int i = 0; i < b0.length; i++) {
                    sb[i] = reference(sb[i][0], sb[i][1], sb[i][2], scale * gb[t][i], t + 1, lrs[t], 0);
                }
            }
            float[] w = p.get("layers.0.attn.q.weight").toFloatArray();
            float[] b = p.get("layers.0.attn.q.alpha").toFloatArray();
            System.out.printf("w %s%nb %s%n", java.util.Arrays.toString(w), java.util.Arrays.toString(b));
            for (int i = 0; i < w.length; i++) {
                assertThat((double) w[i]).as("w[%d]", i).isCloseTo(sw[i][0], within(2e-7));
            }
            for (int i = 0; i < b.length; i++) {
                assertThat((double) b[i]).as("b[%d]", i).isCloseTo(sb[i][0], within(2e-7));
            }
            assertThat(opt.step()).isEqualTo(2);
            // The update zeroed the gradient.
            try (NDManager step = root.newSubManager()) {
                assertThat(opt.gradient(step).toFloatArray()).containsOnly(0f);
            }
        }
    }

    @Test
    void restoredStateContinuesBitForBit() {
        float[] w0 = {0.5f, -0.25f, 0.125f};
        float[] b0 = {1.0f, 0.3f};
        Map<String, float[]> g1 = Map.of("layers.0.attn.q.weight", new float[] {0.2f, -0.4f, 0.01f},
                "layers.0.attn.q.alpha", new float[] {0.05f, -1.5f});
        Map<String, float[]> g2 = Map.of("layers.0.attn.q.weight", new float[] {-0.3f, 0.1f, 0.7f},
                "layers.0.attn.q.alpha", new float[] {0.25f, 0.5f});
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> a = params(root, w0, b0);
            FlatParameters flatA = new FlatParameters(a, name -> name.endsWith(".weight"));
            AdamW optA = new AdamW(flatA, B1, B2, EPS, WD);
            backward(root, flatA, g1);
            try (NDManager step = root.newSubManager()) {
                optA.update(step, 0.01, 1.0);
            }
            // Save (as a checkpoint would: per-parameter floats), then restore into fresh arrays.
            Map<String, float[]> saved = new HashMap<>();
            try (NDManager views = root.newSubManager()) {
                optA.moments(views).forEach((name, arr) -> saved.put(name, arr.toFloatArray()));
            }
            assertThat(saved.get("m.layers.0.attn.q.weight")).hasSize(w0.length);
            Map<String, NDArray> b = params(root, a.get("layers.0.attn.q.weight").toFloatArray(),
                    a.get("layers.0.attn.q.alpha").toFloatArray());
            FlatParameters flatB = new FlatParameters(b, name -> name.endsWith(".weight"));
            AdamW optB = new AdamW(flatB, B1, B2, EPS, WD);
            optB.restore(optA.step(), saved);

            for (FlatParameters f : List.of(flatA, flatB)) {
                backward(root, f, g2);
            }
            try (NDManager step = root.newSubManager()) {
                optA.update(step, 0.02, 1.0);
                optB.update(step, 0.02, 1.0);
            }
            for (String name : a.keySet()) {
                assertThat(b.get(name).toFloatArray()).as(name).containsExactly(a.get(name).toFloatArray());
            }
            assertThat(optB.step()).isEqualTo(2);

            Map<String, float[]> missing = new HashMap<>(saved);
            missing.remove("v.layers.0.attn.q.alpha");
            assertThatThrownBy(() -> optB.restore(1, missing)).hasMessageContaining("v.layers.0.attn.q.alpha");
            Map<String, float[]> wrongSize = new HashMap<>(saved);
            wrongSize.put("m.layers.0.attn.q.weight", new float[2]);
            assertThatThrownBy(() -> optB.restore(1, wrongSize))
                    .hasMessageContaining("m.layers.0.attn.q.weight").hasMessageContaining("2 values");
        }
    }
}
