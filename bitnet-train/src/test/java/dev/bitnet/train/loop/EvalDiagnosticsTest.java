package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.data.Europarl;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.FlatParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The per-layer evaluation statistics on a real small model and real text, with real DJL on the CPU. */
class EvalDiagnosticsTest {

    // V=256, d=64, L=2, H=2, F=128, T=32.
    private static final ModelConfig MODEL = new ModelConfig(256, 64, 2, 2, 128, 32, TokenizerKind.BYTES);
    private static final int BATCH = 4;

    private NDManager manager;
    private BitLM model;
    private Map<String, NDArray> params;

    @BeforeEach
    void build() {
        manager = NDManager.newBaseManager(Device.cpu());
        Engine.getInstance().setRandomSeed(7);
        model = BitLM.builder().setConfig(MODEL).build();
        model.initialize(manager);
        params = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> params.put(name, p.getArray()));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Europarl bytes as {@code rows} windows of {@code t} tokens. */
    private static int[] text(int rows, int t) {
        byte[] bytes = Europarl.text(rows * t * 2).getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[rows * t];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = bytes[i] & 0xff;
        }
        return tokens;
    }

    /** One evaluation of {@code lm} on {@code batches} batches of {@code rows x t} tokens. */
    private EvalDiagnostics.Result evaluate(BitLM lm, EvalDiagnostics d, int batches, int rows, int t) {
        int[] tokens = text(rows * batches, t);
        for (int b = 0; b < batches; b++) {
            d.observeNextForward();
            try (NDManager sm = manager.newSubManager()) {
                int[] batch = Arrays.copyOfRange(tokens, b * rows * t, (b + 1) * rows * t);
                lm.forward(sm.create(batch, new Shape(rows, t)), false);
                d.collect();
            }
        }
        return d.finishEvaluation();
    }

    @Test
    void attentionAndValueStatisticsAreWithinTheirBoundsOnRealText() {
        try (EvalDiagnostics d = new EvalDiagnostics(model, params, Device.cpu())) {
            EvalDiagnostics.Result r = evaluate(model, d, 2, BATCH, MODEL.context());
            assertThat(r.layers()).hasSize(MODEL.nLayers());
            for (EvalDiagnostics.LayerStats s : r.layers()) {
                System.out.println(s);
                // Entropy of a distribution over at most T keys; max p is at least 1/T.
                assertThat(s.attnEntropy()).isBetween(0.0, Math.log(MODEL.context()));
                assertThat(s.attnAgree()).isBetween(1.0 / MODEL.context(), 1.0);
                // Random initial weights: value rows depend on the input, about half the bits differ.
                assertThat(s.valueHamming()).isBetween(0.1, 0.5);
                assertThat(s.valueConstantColumns()).isLessThan(0.5);
            }
        }
    }

    @Test
    void theFloatTwinIsMeasuredTheSameWay() {
        Engine.getInstance().setRandomSeed(7);
        BitLM twin = BitLM.builder().setConfig(MODEL).optFloatAblation(true).build();
        twin.initialize(manager);
        Map<String, NDArray> twinParams = new LinkedHashMap<>();
        twin.namedParameters().forEach((name, p) -> twinParams.put(name, p.getArray()));
        try (EvalDiagnostics d = new EvalDiagnostics(twin, twinParams, Device.cpu())) {
            for (EvalDiagnostics.LayerStats s : evaluate(twin, d, 1, BATCH, MODEL.context()).layers()) {
                assertThat(s.flip()).isZero();
                assertThat(s.attnEntropy()).isBetween(0.0, Math.log(MODEL.context()));
                assertThat(s.attnAgree()).isBetween(1.0 / MODEL.context(), 1.0);
                assertThat(s.valueHamming()).isBetween(0.1, 0.5);
            }
        }
    }

    @Test
    void aSingleKeyHasZeroEntropyAndTheHardPickAlwaysAgrees() {
        try (EvalDiagnostics d = new EvalDiagnostics(model, params, Device.cpu())) {
            for (EvalDiagnostics.LayerStats s : evaluate(model, d, 1, BATCH, 1).layers()) {
                assertThat(s.attnEntropy()).isCloseTo(0.0, within(1e-7));
                assertThat(s.attnAgree()).isCloseTo(1.0, within(1e-7));
            }
        }
    }

    @Test
    void aValueProjectionForcedConstantShowsNoDiversity() {
        // alpha = 0, theta = -1: every value output is sign(0 + 1) = +1, whatever the input.
        FlatParameters.copyInto(params.get("layers.1.attn.v.alpha"), new float[MODEL.dModel()]);
        float[] minusOne = new float[MODEL.dModel()];
        Arrays.fill(minusOne, -1f);
        FlatParameters.copyInto(params.get("layers.1.attn.v.theta"), minusOne);
        try (EvalDiagnostics d = new EvalDiagnostics(model, params, Device.cpu())) {
            EvalDiagnostics.Result r = evaluate(model, d, 2, BATCH, MODEL.context());
            assertThat(r.layers().get(1).valueHamming()).isZero();
            assertThat(r.layers().get(1).valueConstantColumns()).isEqualTo(1.0);
            assertThat(r.layers().get(0).valueHamming()).isGreaterThan(0.1);
        }
    }

    @Test
    void flipsCountChangedSignsSinceThePreviousEvaluationPerProjection() {
        try (EvalDiagnostics d = new EvalDiagnostics(model, params, Device.cpu())) {
            EvalDiagnostics.Result none = evaluate(model, d, 1, BATCH, 8);
            assertThat(none.embeddingFlip()).isZero();
            for (EvalDiagnostics.LayerStats s : none.layers()) {
                assertThat(s.flip()).isZero();
                assertThat(s.flipByProjection()).containsOnlyKeys(EvalDiagnostics.PROJECTIONS)
                        .allSatisfy((p, f) -> assertThat(f).as(p).isZero());
            }

            // Negate 100 weights of layer 0's up projection: 100 signs flip, nothing else.
            NDArray up = params.get("layers.0.ffn.up.weight");
            float[] w = up.toFloatArray();
            for (int i = 0; i < 100; i++) {
                assertThat(w[i]).isNotZero();
                w[i] = -w[i];
            }
            FlatParameters.copyInto(up, w);
            EvalDiagnostics.Result some = evaluate(model, d, 1, BATCH, 8);
            long size = (long) MODEL.dFf() * MODEL.dModel();
            assertThat(some.layers().get(0).flipByProjection().get("up")).isEqualTo(100.0 / size);
            long layerSize = 4L * MODEL.dModel() * MODEL.dModel() + 3L * MODEL.dFf() * MODEL.dModel();
            assertThat(some.layers().get(0).flip()).isCloseTo(100.0 / layerSize, within(1e-12));
            assertThat(some.layers().get(1).flip()).isZero();
            assertThat(some.embeddingFlip()).isZero();

            // Counted since the previous evaluation: unchanged weights flip nothing the next time.
            EvalDiagnostics.Result again = evaluate(model, d, 1, BATCH, 8);
            assertThat(again.layers().get(0).flip()).isZero();
            assertThat(d.heldArrayCount()).isEqualTo(1 + 7 * MODEL.nLayers());

            JsonObject line = new JsonObject();
            some.addTo(line);
            assertThat(line.getAsJsonArray("layers")).hasSize(MODEL.nLayers());
            JsonObject layer0 = line.getAsJsonArray("layers").get(0).getAsJsonObject();
            assertThat(layer0.keySet()).containsExactly("layer", "flip", "flip_q", "flip_k", "flip_v", "flip_o",
                    "flip_gate", "flip_up", "flip_down", "attn_entropy", "attn_agree", "value_hamming",
                    "value_constant_columns");
            assertThat(layer0.get("flip_up").getAsDouble()).isEqualTo(100.0 / size);
        }
    }
}
