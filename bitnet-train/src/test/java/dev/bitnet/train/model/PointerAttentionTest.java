package dev.bitnet.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bitnet.core.model.BitMath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PointerAttentionTest {

    private static final int B = 2;
    private static final int H = 4;
    private static final int T = 16;

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static float[] randomSigns(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextBoolean() ? 1f : -1f;
        }
        return x;
    }

    /** v = identity per (b, h): the attention output is then the attention matrix itself. */
    private static NDArray identityValues(NDManager m) {
        return m.eye(T).broadcast(new Shape(B, H, T, T));
    }

    @Test
    void trainingForwardIsExactlyOneHotAndCausalWithGradientsToQueriesAndKeys() {
        int dh = 8;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        attn.setTau(0.5f);
        Random r = new Random(1);
        try (NDManager step = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray q = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            NDArray k = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            q.setRequiresGradient(true);
            k.setRequiresGradient(true);
            NDArray a = attn.attend(q, k, identityValues(step), true);            // (B, H, T, T)
            float[] values = a.toFloatArray();
            for (int row = 0; row < B * H * T; row++) {
                int i = row % T;
                int ones = 0;
                for (int j = 0; j < T; j++) {
                    float v = values[row * T + j];
                    assertThat(v).isIn(0f, 1f);
                    if (v == 1f) {
                        ones++;
                        assertThat(j).as("chosen key of query %d", i).isLessThanOrEqualTo(i);
                    }
                }
                assertThat(ones).as("row %d", row).isEqualTo(1);
            }
            gc.backward(a.mul(step.randomNormal(a.getShape())).sum());
            assertThat(q.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            assertThat(k.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void gradientsEqualThoseOfTheSpecFormOneHotPlusSoftmaxResidual() {
        int dh = 8;
        float tau = 0.7f;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        attn.setTau(tau);
        Random r = new Random(6);
        float[] qv = randomSigns(r, B * H * T * dh);
        float[] kv = randomSigns(r, B * H * T * dh);
        float[] vv = randomSigns(r, B * H * T * dh);
        float[][][] grads = new float[2][][];
        float[][] outs = new float[2][];
        for (int form = 0; form < 2; form++) {
            try (NDManager step = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray q = step.create(qv, new Shape(B, H, T, dh));
                NDArray k = step.create(kv, new Shape(B, H, T, dh));
                NDArray v = step.create(vv, new Shape(B, H, T, dh));
                for (NDArray x : new NDArray[] {q, k, v}) {
                    x.setRequiresGradient(true);
                }
                attn.seedNoise(77);
                NDArray out;
                if (form == 0) {
                    out = attn.attend(q, k, v, true);
                } else {
                    // The spec verbatim: z = (score + G) / tau, a = onehot(argmax z) + (p - stopGradient(p)), out = a @ v
                    NDArray score = q.matMul(k.transpose(0, 1, 3, 2)).mul(step.create(BitMath.invSqrt(dh)))
                            .sub(PointerAttention.alibiBias(step, BitMath.alibiSlopes(H), T));
                    NDArray gumbel = new GumbelNoise().causalNegGumbel(step, score.getShape(), GumbelNoise.key(77, 0)).neg();
                    NDArray z = score.add(gumbel).div(step.create(tau));
                    NDArray p = z.softmax(-1);
                    out = z.argMax(-1).oneHot(T).add(p.sub(p.stopGradient())).matMul(v);
                }
                outs[form] = out.toFloatArray();
                gc.backward(out.mul(step.create(weights(B * H * T * dh), out.getShape())).sum());
                grads[form] = new float[][] {q.getGradient().toFloatArray(), k.getGradient().toFloatArray(),
                    v.getGradient().toFloatArray()};
            }
        }
        assertThat(outs[0]).containsExactly(outs[1]);
        for (int g = 0; g < 3; g++) {
            float max = 0;
            for (float x : grads[1][g]) {
                max = Math.max(max, Math.abs(x));
            }
            assertThat(max).as("gradient %s is not trivially zero", "qkv".charAt(g)).isGreaterThan(0f);
            for (int i = 0; i < grads[0][g].length; i++) {
                assertThat(grads[0][g][i]).as("gradient of %s[%d]", "qkv".charAt(g), i)
                        .isCloseTo(grads[1][g][i], within(1e-5f * max));
            }
        }
    }

    /**
     * During the attention ramp the training output is {@code h * hard + (1 - h) * soft} for the
     * same noise, where {@code soft = softmax(z) @ v}, and v gets a gradient through the softmax.
     */
    @Test
    void rampedAttentionMixesTheHardPointerAndTheSoftmaxOfTheSameNoisyScores() {
        int dh = 8;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        attn.setTau(0.7f);
        Random r = new Random(9);
        float[] qv = randomSigns(r, B * H * T * dh);
        float[] kv = randomSigns(r, B * H * T * dh);
        float[] vv = randomSigns(r, B * H * T * dh);
        float[] hardnesses = {1f, 0f, 0.25f};
        float[][] outs = new float[3][];
        float[][] vGrads = new float[3][];
        for (int c = 0; c < 3; c++) {
            try (NDManager step = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray q = step.create(qv, new Shape(B, H, T, dh));
                NDArray k = step.create(kv, new Shape(B, H, T, dh));
                NDArray v = step.create(vv, new Shape(B, H, T, dh));
                v.setRequiresGradient(true);
                attn.setHardness(hardnesses[c]);
                attn.seedNoise(5);
                NDArray out = attn.attend(q, k, v, true);
                outs[c] = out.toFloatArray();
                gc.backward(out.mul(step.create(weights(B * H * T * dh), out.getShape())).sum());
                vGrads[c] = v.getGradient().toFloatArray();
            }
        }
        for (float x : outs[0]) {
            assertThat(x).isIn(-1f, 1f);
        }
        int averaged = 0;
        for (float x : outs[1]) {
            averaged += Math.abs(x) < 0.99f ? 1 : 0;
        }
        assertThat(averaged).as("soft attention averages value rows").isPositive();
        for (int i = 0; i < outs[2].length; i++) {
            assertThat(outs[2][i]).isCloseTo(0.25f * outs[0][i] + 0.75f * outs[1][i], within(1e-5f));
            assertThat(vGrads[2][i]).isCloseTo(0.25f * vGrads[0][i] + 0.75f * vGrads[1][i], within(1e-4f));
        }
        assertThat(vGrads[1]).isNotEqualTo(vGrads[0]);
        assertThatThrownBy(() -> attn.setHardness(1.5f)).hasMessageContaining("hardness must be in [0, 1], got 1.5");
    }

    /**
     * With the noise scaled far below the smallest score gap (ALiBi separates equal dot products
     * by at least m_h = 2^-8 here), the training pointer picks the evaluation's keys.
     */
    @Test
    void aSmallNoiseScaleMakesTrainingPicksTheEvaluationsArgmax() {
        int dh = 8;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        Random r = new Random(11);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            NDArray k = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            NDArray v = identityValues(step);
            float[] eval = attn.attend(q, k, v, false).toFloatArray();
            attn.seedNoise(3);
            assertThat(attn.attend(q, k, v, true).toFloatArray()).as("full noise samples other keys").isNotEqualTo(eval);
            attn.setNoiseScale(1e-5f);
            attn.seedNoise(3);
            assertThat(attn.attend(q, k, v, true).toFloatArray()).containsExactly(eval);
        }
        assertThatThrownBy(() -> attn.setNoiseScale(0f)).hasMessageContaining("noise scale must be in (0, 1], got 0.0");
    }

    private static float[] weights(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) Math.sin(i * 0.37);
        }
        return w;
    }

    @Test
    void gumbelNoiseIsReproducibleFromTheSeedAndChangesTheChoices() {
        int dh = 8;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        Random r = new Random(2);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            NDArray k = step.create(randomSigns(r, B * H * T * dh), new Shape(B, H, T, dh));
            NDArray v = identityValues(step);
            attn.seedNoise(42);
            float[] first = attn.attend(q, k, v, true).toFloatArray();
            float[] second = attn.attend(q, k, v, true).toFloatArray();
            attn.seedNoise(42);
            float[] again = attn.attend(q, k, v, true).toFloatArray();
            float[] eval = attn.attend(q, k, v, false).toFloatArray();
            assertThat(again).containsExactly(first);
            assertThat(second).as("the next draw is new noise").isNotEqualTo(first);
            assertThat(first).isNotEqualTo(eval);
        }
    }

    /** d_head 4 has the power-of-two scale 1/2, which the attention moves to the query; 2 has 1/sqrt(2). */
    @ParameterizedTest
    @ValueSource(ints = {4, 2})                       // scores take few values: many exact ties
    void evalPicksTheArgmaxOfTheSpecScoreWithTiesToTheSmallestKey(int dh) {
        int b = 4;
        int t = 64;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, false);
        assertThat(attn.getSlopes()).containsExactly(BitMath.alibiSlopes(H));
        Random r = new Random(3);
        float[] q = randomSigns(r, b * H * t * dh);
        float[] k = randomSigns(r, b * H * t * dh);
        float[] v = new float[b * H * t];             // value row j is the number j
        for (int i = 0; i < v.length; i++) {
            v[i] = i % t;
        }
        float[] slopes = BitMath.alibiSlopes(H);
        float scale = BitMath.invSqrt(dh);
        int ties = 0;
        try (NDManager step = manager.newSubManager()) {
            float[] got = attn.attend(step.create(q, new Shape(b, H, t, dh)), step.create(k, new Shape(b, H, t, dh)),
                    step.create(v, new Shape(b, H, t, 1)), false).toFloatArray();
            for (int bh = 0; bh < b * H; bh++) {
                float m = slopes[bh % H];
                for (int i = 0; i < t; i++) {
                    float[] score = new float[i + 1];
                    int best = 0;
                    for (int j = 0; j <= i; j++) {
                        int dot = 0;
                        for (int c = 0; c < dh; c++) {
                            dot += (int) (q[(bh * t + i) * dh + c] * k[(bh * t + j) * dh + c]);
                        }
                        score[j] = dot * scale - m * (float) (i - j);
                        if (score[j] > score[best]) {
                            best = j;
                        }
                    }
                    for (int j = best + 1; j <= i; j++) {
                        if (score[j] == score[best]) {
                            ties++;
                        }
                    }
                    assertThat(got[bh * t + i]).as("head %d query %d", bh % H, i).isEqualTo((float) best);
                }
            }
        }
        if (dh == 4) {                                // with the scale 1/sqrt(2) no two keys tie
            assertThat(ties).as("the data must contain ties at the maximum to test them").isGreaterThan(20);
        }
    }

    @Test
    void evalTieBetweenFarAndNearKeyGoesToTheFarOne() {
        // Head 0 of 4 (slope 1/4), d_head 16 (scale 1/4), query 2 of 3, q all +1.
        // q.k_0 = 2, q.k_1 = 0, q.k_2 = 0, so score(j) = q.k_j / 4 - (2 - j) / 4 is 0, -1/4, 0.
        int dh = 16;
        PointerAttention attn = new PointerAttention(4 * dh, 4, 1f, false);
        float[] q = new float[4 * 3 * dh];
        float[] k = new float[4 * 3 * dh];
        Arrays.fill(q, 1f);
        Arrays.fill(k, 1f);
        for (int c = 0; c < dh; c++) {
            k[c] = c < 7 ? -1f : 1f;
            k[dh + c] = c < 8 ? -1f : 1f;
            k[2 * dh + c] = c < 8 ? -1f : 1f;
        }
        float[] v = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
        try (NDManager step = manager.newSubManager()) {
            float[] got = attn.attend(step.create(q, new Shape(1, 4, 3, dh)), step.create(k, new Shape(1, 4, 3, dh)),
                    step.create(v, new Shape(1, 4, 3, 1)), false).toFloatArray();
            assertThat(got[2]).as("head 0, query 2 points to key").isEqualTo(0f);
        }
    }

    @Test
    void floatAblationIsCausalSoftmax() {
        int dh = 8;
        PointerAttention attn = new PointerAttention(H * dh, H, 1f, true);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.randomNormal(new Shape(B, H, T, dh));
            NDArray k = step.randomNormal(new Shape(B, H, T, dh));
            float[] a = attn.attend(q, k, identityValues(step), true).toFloatArray();
            boolean soft = false;
            for (int row = 0; row < B * H * T; row++) {
                int i = row % T;
                double sum = 0;
                for (int j = 0; j < T; j++) {
                    float p = a[row * T + j];
                    if (j > i) {
                        assertThat(p).isEqualTo(0f);
                    }
                    sum += p;
                    soft |= p > 0f && p < 0.99f;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
            }
            assertThat(soft).isTrue();
        }
    }

    @Test
    void tauMustBePositive() {
        PointerAttention attn = new PointerAttention(16, 4, 1f, false);
        assertThatThrownBy(() -> attn.setTau(0f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tau");
        attn.setTau(0.25f);
        assertThat(attn.getTau()).isEqualTo(0.25f);
    }
}
