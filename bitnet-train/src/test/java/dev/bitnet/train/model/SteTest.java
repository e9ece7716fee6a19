package dev.bitnet.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SteTest {

    private static final float[] VALUES = {-3f, -1.0000001f, -1f, -0.5f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE,
        1e-30f, 0.25f, 1f, 1.0000001f, Float.MAX_VALUE};

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void signIsExactlyPlusOrMinusOneAndNegativeZeroIsPlusOne() {
        float[] s = Ste.sign(manager.create(VALUES)).toFloatArray();
        assertThat(s).containsExactly(-1f, -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f);
    }

    @Test
    void signSteForwardIsSignAndGradientIsIdentity() {
        NDArray w = manager.create(VALUES);
        w.setRequiresGradient(true);
        NDArray weights = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        float[] forward;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Ste.signSte(w);
            forward = y.toFloatArray();
            gc.backward(y.mul(weights).sum());
        }
        assertThat(forward).containsExactly(-1f, -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f);
        assertThat(w.getGradient().toFloatArray()).containsExactly(weights.toFloatArray());
    }

    @Test
    void signSteClippedPassesGradientOnlyWhereAbsBelowOrAtOne() {
        NDArray h = manager.create(VALUES);
        h.setRequiresGradient(true);
        float[] forward;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Ste.signSteClipped(h);
            forward = y.toFloatArray();
            gc.backward(y.mul(manager.create(3f)).sum());     // an array: a Java number would be freed before backward
        }
        assertThat(forward).containsExactly(-1f, -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f);
        assertThat(h.getGradient().toFloatArray()).containsExactly(0f, 0f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 0f, 0f);
    }

    @Test
    void forwardStaysExactOnManyRandomValues() {
        NDArray h = manager.randomNormal(0f, 2f, new Shape(10_000), DataType.FLOAT32);
        h.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            float[] a = Ste.signSteClipped(h).toFloatArray();
            float[] b = Ste.signSte(h).toFloatArray();
            float[] x = h.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float expected = x[i] >= 0f ? 1f : -1f;
                assertThat(a[i]).isEqualTo(expected);
                assertThat(b[i]).isEqualTo(expected);
            }
        }
    }

    @Test
    void clippedGradientMaskIsAbsAtMostOneOnManyRandomValues() {
        NDArray h = manager.randomNormal(0f, 1.5f, new Shape(10_000), DataType.FLOAT32);
        h.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(Ste.signSteClipped(h).sum());
        }
        float[] x = h.toFloatArray();
        float[] g = h.getGradient().toFloatArray();
        int passed = 0;
        for (int i = 0; i < x.length; i++) {
            float expected = Math.abs(x[i]) <= 1f ? 1f : 0f;
            assertThat(g[i]).as("gradient at h = %s", x[i]).isEqualTo(expected);
            passed += (int) expected;
        }
        assertThat(passed).as("both sides of the mask are exercised").isBetween(3_000, 7_000);
    }
}
