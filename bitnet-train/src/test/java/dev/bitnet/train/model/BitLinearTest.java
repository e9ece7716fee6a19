package dev.bitnet.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bitnet.core.model.BitMath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BitLinearTest {

    /**
     * c_in = 1/sqrt(96) is not a power of two; the parameterized tests also run 256, whose
     * c_in = 1/16 BitLinear multiplies into alpha instead (see {@link PowerOfTwo}).
     */
    private static final int IN = 96;
    private static final int OUT = 40;
    private static final int ROWS = 12;

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(11);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static BitLinear layer(boolean raw, boolean floatAblation) {
        return layer(IN, raw, floatAblation);
    }

    private static BitLinear layer(int in, boolean raw, boolean floatAblation) {
        BitLinear l = BitLinear.builder().setInputs(in).setUnits(OUT).optRawOutput(raw)
                .optAlphaInit(raw ? 0.5f : 1f).optFloatAblation(floatAblation).build();
        l.initialize(manager, DataType.FLOAT32, new Shape(ROWS, in));
        return l;
    }

    /** Random ±1 inputs, and random alpha / theta-or-bias so that the test sees their order of use. */
    private static float[] randomize(BitLinear l, Random r) {
        for (Parameter p : l.namedParameters().values()) {
            if (!p.getName().equals("weight")) {
                float[] v = new float[OUT];
                for (int i = 0; i < OUT; i++) {
                    v[i] = (float) r.nextGaussian() * 0.3f + (p.getName().equals("alpha") ? 1f : 0f);
                }
                p.getArray().set(v);
            }
        }
        float[] x = new float[ROWS * in(l)];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextBoolean() ? 1f : -1f;
        }
        return x;
    }

    private static int in(BitLinear l) {
        return Math.toIntExact(l.namedParameters().get("weight").getShape().get(1));
    }

    private static float[] values(BitLinear l, String name) {
        return l.namedParameters().get(name).getArray().toFloatArray();
    }

    /** The spec's BitLinear in plain Java float arithmetic, one rounding per operation. */
    private static float[] reference(BitLinear l, float[] x, boolean raw) {
        float[] w = values(l, "weight");
        float[] alpha = values(l, "alpha");
        float[] t = values(l, raw ? "bias" : "theta");
        int in = in(l);
        float cIn = BitMath.invSqrt(in);
        float[] y = new float[ROWS * OUT];
        for (int r = 0; r < ROWS; r++) {
            for (int o = 0; o < OUT; o++) {
                int s = 0;
                for (int i = 0; i < in; i++) {
                    s += (int) x[r * in + i] * (w[o * in + i] >= 0f ? 1 : -1);
                }
                float u = s * cIn;
                float v = u * alpha[o];
                y[r * OUT + o] = raw ? v + t[o] : (v - t[o] >= 0f ? 1f : -1f);
            }
        }
        return y;
    }

    @Test
    void initialisationFollowsTheSpec() {
        BitLinear binary = layer(false, false);
        assertThat(binary.namedParameters().keySet()).containsExactly("weight", "alpha", "theta");
        assertThat(values(binary, "alpha")).containsOnly(1f);
        assertThat(values(binary, "theta")).containsOnly(0f);
        float[] w = values(binary, "weight");
        double sum = 0;
        double sq = 0;
        for (float v : w) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / w.length;
        assertThat(mean).isCloseTo(0.0, within(0.002));
        assertThat(Math.sqrt(sq / w.length - mean * mean)).isCloseTo(0.02, within(0.0015));

        BitLinear raw = layer(true, false);
        assertThat(raw.namedParameters().keySet()).containsExactly("weight", "alpha", "bias");
        assertThat(values(raw, "alpha")).containsOnly(0.5f);
        assertThat(values(raw, "bias")).containsOnly(0f);
        assertThat(raw.namedParameters().get("weight").getShape()).isEqualTo(new Shape(OUT, IN));
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 256})
    void forwardMatchesTheSpecBitForBit(int in) {
        Random r = new Random(3);
        for (boolean raw : new boolean[] {false, true}) {
            BitLinear l = layer(in, raw, false);
            float[] x = randomize(l, r);
            try (NDManager step = manager.newSubManager()) {
                NDArray input = step.create(x, new Shape(ROWS, in));
                float[] y = l.forward(new ParameterStore(step, false), new NDList(input), false)
                        .singletonOrThrow().toFloatArray();
                assertThat(y).as(raw ? "raw" : "binary").containsExactly(reference(l, x, raw));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 256})
    void gradientsReachWeightAlphaAndThreshold(int in) {
        Random r = new Random(5);
        for (boolean raw : new boolean[] {false, true}) {
            BitLinear l = layer(in, raw, false);
            float[] x = randomize(l, r);
            try (NDManager step = manager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray input = step.create(x, new Shape(ROWS, in));
                NDArray y = l.forward(new ParameterStore(step, false), new NDList(input), true).singletonOrThrow();
                NDArray target = step.randomNormal(new Shape(ROWS, OUT));
                gc.backward(y.mul(target).sum());
                for (Parameter p : l.namedParameters().values()) {
                    NDArray g = p.getArray().getGradient();
                    g.attach(step);
                    assertThat(g.abs().sum().getFloat()).as(p.getName()).isGreaterThan(0f);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 256})
    void weightGradientIsExactEvenWhenJavaMemoryIsRecycledBeforeBackward(int in) {
        // A scalar operand given as a Java number lives in Java memory that DJL frees right
        // after the op, while autograd may still read it in backward: c_in must not be one.
        BitLinear l = layer(in, true, false);
        Random r = new Random(9);
        float[] x = randomize(l, r);
        float[] target = new float[ROWS * OUT];
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) r.nextGaussian();
        }
        float[] alpha = values(l, "alpha");
        float cIn = BitMath.invSqrt(in);
        try (NDManager step = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = l.forward(new ParameterStore(step, false), new NDList(step.create(x, new Shape(ROWS, in))), true)
                    .singletonOrThrow();
            NDArray loss = y.mul(step.create(target, new Shape(ROWS, OUT))).sum();
            for (int i = 0; i < 200; i++) {                 // churn direct memory, then collect it
                ByteBuffer.allocateDirect(4096).putFloat(0, Float.NaN);
            }
            System.gc();
            for (int i = 0; i < 200; i++) {
                ByteBuffer.allocateDirect(64).asFloatBuffer().put(new float[] {1e30f, 1e30f, 1e30f});
            }
            gc.backward(loss);
            NDArray g = l.namedParameters().get("weight").getArray().getGradient();
            g.attach(step);
            float[] grad = g.toFloatArray();
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < in; i++) {
                    double expected = 0;
                    for (int row = 0; row < ROWS; row++) {
                        expected += (double) target[row * OUT + o] * alpha[o] * cIn * x[row * in + i];
                    }
                    assertThat((double) grad[o * in + i]).as("dW[%d,%d]", o, i).isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    @Test
    void floatAblationIsAPlainScaledLinear() {
        BitLinear l = layer(false, true);
        float[] x = randomize(l, new Random(7));
        float[] w = values(l, "weight");
        float[] alpha = values(l, "alpha");
        float[] theta = values(l, "theta");
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.create(x, new Shape(ROWS, IN));
            float[] y = l.forward(new ParameterStore(step, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
            boolean anyNotSign = false;
            for (int r = 0; r < ROWS; r++) {
                for (int o = 0; o < OUT; o++) {
                    double s = 0;
                    for (int i = 0; i < IN; i++) {
                        s += x[r * IN + i] * w[o * IN + i];
                    }
                    float got = y[r * OUT + o];
                    assertThat((double) got).isCloseTo(s * alpha[o] - theta[o], within(1e-4));
                    anyNotSign |= Math.abs(got) != 1f;
                }
            }
            assertThat(anyNotSign).isTrue();
        }
    }

    @Test
    void builderRejectsMissingWidths() {
        assertThatThrownBy(() -> BitLinear.builder().setUnits(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs");
        assertThatThrownBy(() -> BitLinear.builder().setInputs(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("units");
    }
}
