package dev.bitnet.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.DType;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.TensorSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BitLMTest {

    private static final ModelConfig SMALL = new ModelConfig(256, 64, 2, 4, 128, 32, TokenizerKind.BYTES);

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static BitLM model(boolean floatAblation, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        BitLM lm = BitLM.builder().setConfig(SMALL).optFloatAblation(floatAblation).build();
        lm.initialize(manager);
        return lm;
    }

    private static float[] values(BitLM lm, String name) {
        return lm.namedParameters().get(name).getArray().toFloatArray();
    }

    /** Gives every non-matrix parameter varied values (some gains negative) so that tests see how each is used. */
    private static void randomizeScales(BitLM lm, Random r) {
        lm.namedParameters().forEach((name, p) -> {
            if (BitLM.isLatentMatrix(name)) {
                return;
            }
            float[] v = new float[Math.toIntExact(p.getShape().size())];
            for (int i = 0; i < v.length; i++) {
                double g = r.nextGaussian();
                v[i] = (float) (name.endsWith("gamma") ? g
                        : name.endsWith("alpha") || name.endsWith("scale") ? Math.abs(1 + 0.3 * g) * (name.startsWith("head") ? 0.125 : 1)
                        : 0.2 * g);
            }
            p.getArray().set(v);
        });
    }

    private static int[] randomTokens(Random r, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(SMALL.vocabSize());
        }
        return t;
    }

    @Test
    void parameterNamesAndShapesLineUpWithTheExportLayout() {
        BitLM lm = BitLM.builder().setConfig(SMALL).build();
        Map<String, Parameter> named = lm.namedParameters();
        List<String> expected = new ArrayList<>(List.of("embedding.weight", "embedding.scale"));
        for (int l = 0; l < SMALL.nLayers(); l++) {
            String pre = "layers." + l + ".";
            expected.add(pre + "attn_norm.gamma");
            for (String m : List.of("q", "k", "v")) {
                expected.addAll(List.of(pre + "attn." + m + ".weight", pre + "attn." + m + ".alpha", pre + "attn." + m + ".theta"));
            }
            expected.addAll(List.of(pre + "attn.o.weight", pre + "attn.o.alpha", pre + "attn.o.bias", pre + "ffn_norm.gamma"));
            for (String m : List.of("gate", "up")) {
                expected.addAll(List.of(pre + "ffn." + m + ".weight", pre + "ffn." + m + ".alpha", pre + "ffn." + m + ".theta"));
            }
            expected.addAll(List.of(pre + "ffn.down.weight", pre + "ffn.down.alpha", pre + "ffn.down.bias"));
        }
        expected.addAll(List.of("norm_out.gamma", "head.alpha", "head.bias"));
        assertThat(named.keySet()).containsExactlyElementsOf(expected);

        // Every exported tensor has its trained source of the same shape: .bits <- .weight,
        // .range <- .alpha + .theta, float tensors by name.
        for (TensorSpec spec : ModelLayout.tensors(SMALL)) {
            if (spec.name().equals(ModelLayout.ALIBI_SLOPES)) {
                continue;
            }
            if (spec.dtype() == DType.BITS) {
                String source = spec.name().replace(".bits", ".weight");
                assertThat(named.get(source).getShape()).as(source).isEqualTo(new Shape(spec.shape()));
            } else if (spec.name().endsWith(".range")) {
                String base = spec.name().replace(".range", "");
                assertThat(named.get(base + ".alpha").getShape()).isEqualTo(new Shape(spec.shape()[0]));
                assertThat(named.get(base + ".theta").getShape()).isEqualTo(new Shape(spec.shape()[0]));
            } else {
                assertThat(named.get(spec.name()).getShape()).as(spec.name()).isEqualTo(new Shape(spec.shape()));
            }
        }

        assertThat(named.keySet().stream().filter(BitLM::isLatentMatrix).toList())
                .hasSize(1 + 7 * SMALL.nLayers())
                .allMatch(n -> named.get(n).getShape().dimension() == 2);
    }

    @Test
    void parameterCountMatchesTheConfigForEveryPreset() {
        for (String preset : ModelConfig.presetNames()) {
            ModelConfig c = ModelConfig.preset(preset);
            assertThat(BitLM.builder().setConfig(c).build().parameterCount()).as(preset).isEqualTo(c.parameterCount());
        }
        try (NDManager m = manager.newSubManager()) {
            BitLM tiny = BitLM.builder().setConfig(ModelConfig.preset("tiny")).build();
            tiny.initialize(m);
            long allocated = 0;
            for (Parameter p : tiny.namedParameters().values()) {
                allocated += p.getArray().size();
            }
            assertThat(allocated).isEqualTo(ModelConfig.preset("tiny").parameterCount());
            assertThat(tiny.getParameters().size()).isEqualTo(tiny.namedParameters().size());
        }
    }

    @Test
    void initialisationFollowsTheSpec() {
        BitLM lm = model(false, 1);
        float residualAlpha = (float) (1 / Math.sqrt(2.0 * SMALL.nLayers()));
        lm.namedParameters().forEach((name, p) -> {
            float[] v = p.getArray().toFloatArray();
            if (BitLM.isLatentMatrix(name)) {
                double sq = 0;
                for (float x : v) {
                    sq += (double) x * x;
                }
                assertThat(Math.sqrt(sq / v.length)).as(name).isCloseTo(0.02, within(0.002));
            } else if (name.equals("head.alpha")) {
                assertThat(v).containsOnly(BitMath.invSqrt(SMALL.dModel()));
            } else if (name.endsWith("o.alpha") || name.endsWith("down.alpha")) {
                assertThat(v).as(name).containsOnly(residualAlpha);
            } else if (name.endsWith("alpha") || name.endsWith("gamma") || name.equals("embedding.scale")) {
                assertThat(v).as(name).containsOnly(1f);
            } else {
                assertThat(name).matches(".*(theta|bias)");
                assertThat(v).as(name).containsOnly(0f);
            }
        });
        assertThat(values(model(true, 1), "head.alpha")).as("float twin, as GPT-2").containsOnly(1f);
        Engine.getInstance().setRandomSeed(1);
        BitLM shortRun = BitLM.builder().setConfig(SMALL).optAlphaVInit(1f).build();
        shortRun.initialize(manager);
        assertThat(values(shortRun, "head.alpha")).containsOnly(1f);
        assertThat(values(shortRun, "embedding.weight")).as("same seed, same init").containsExactly(values(lm, "embedding.weight"));
    }

    @Test
    void evalForwardIsTheSpecBitForBit() {
        BitLM lm = model(false, 2);
        Random r = new Random(2);
        randomizeScales(lm, r);
        Map<String, float[]> params = new LinkedHashMap<>();
        lm.namedParameters().forEach((name, p) -> params.put(name, p.getArray().toFloatArray()));
        SpecReference reference = new SpecReference(SMALL, params);
        int[] tokens = randomTokens(r, SMALL.context());
        float[] got = lm.evalLogits(manager, tokens);
        float[] expected = reference.logits(tokens);
        assertThat(got).hasSameSizeAs(expected);
        int vocab = SMALL.vocabSize();
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError("logit (position " + i / vocab + ", token " + i % vocab + ") is " + got[i]
                        + ", the spec says " + expected[i]);
            }
        }
        assertThat(lm.evalLogits(manager, tokens)).as("deterministic").containsExactly(got);
    }

    @Test
    void laterTokensNeverChangeEarlierLogits() {
        BitLM lm = model(false, 3);
        randomizeScales(lm, new Random(3));
        Random r = new Random(4);
        int[] tokens = randomTokens(r, 24);
        float[] base = lm.evalLogits(manager, tokens);
        int vocab = SMALL.vocabSize();
        for (int change : new int[] {5, 17, 23}) {
            int[] other = tokens.clone();
            for (int i = change; i < other.length; i++) {
                other[i] = (other[i] + 1 + r.nextInt(vocab - 1)) % vocab;
            }
            float[] changed = lm.evalLogits(manager, other);
            for (int i = 0; i < change * vocab; i++) {
                assertThat(changed[i]).as("position %d", i / vocab).isEqualTo(base[i]);
            }
            boolean differs = false;
            for (int i = change * vocab; i < changed.length; i++) {
                differs |= changed[i] != base[i];
            }
            assertThat(differs).as("changing token %d changes its own logits", change).isTrue();
        }
    }

    @Test
    void oneBackwardReachesEveryParameterAndNoiseFollowsTheSeed() {
        for (boolean floatAblation : new boolean[] {false, true}) {
            BitLM lm = model(floatAblation, 5);
            lm.setTau(0.5f);
            assertThat(lm.getTau()).isEqualTo(0.5f);
            int[] tokens = randomTokens(new Random(5), 2 * 33);
            float[] first = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                lm.setNoiseSeed(9, 100);
                try (NDManager step = manager.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray all = step.create(tokens, new Shape(2, 33));
                    NDArray x = all.get(":, :-1");
                    NDArray y = all.get(":, 1:").toType(DataType.INT64, false);
                    NDArray logits = lm.forward(x, true);
                    assertThat(logits.getShape()).isEqualTo(new Shape(2, 32, SMALL.vocabSize()));
                    assertThat(logits.getManager()).isSameAs(step);
                    float[] values = logits.toFloatArray();
                    if (first == null) {
                        first = values;
                    } else {
                        assertThat(values).as("same (seed, step), same noise").containsExactly(first);
                    }
                    NDArray loss = logits.logSoftmax(-1).gather(y.expandDims(-1), -1).mean().neg();
                    gc.backward(loss);
                    for (Map.Entry<String, Parameter> e : lm.namedParameters().entrySet()) {
                        NDArray g = e.getValue().getArray().getGradient();
                        g.attach(step);
                        assertThat(g.abs().sum().getFloat()).as("gradient of %s (float twin %s)", e.getKey(), floatAblation)
                                .isGreaterThan(0f);
                        g.subi(g);                                        // DJL does not zero gradients
                    }
                }
            }
        }
    }

    @Test
    void aTrainingStepLeavesNothingInTheModelManager() {
        try (NDManager modelManager = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(10);
            BitLM lm = BitLM.builder().setConfig(SMALL).build();
            lm.initialize(modelManager);
            int before = ((BaseNDManager) modelManager).getManagedArrays().size();
            for (boolean training : new boolean[] {true, false}) {
                try (NDManager step = manager.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = lm.forward(step.create(randomTokens(new Random(10), 64), new Shape(2, 32)), training);
                    if (training) {
                        gc.backward(logits.mean());
                        for (Parameter p : lm.namedParameters().values()) {
                            p.getArray().getGradient().attach(step);
                        }
                    }
                }
                assertThat(((BaseNDManager) modelManager).getManagedArrays()).as("training " + training).hasSize(before);
            }
        }
    }

    @Test
    void trainingNoiseChangesWithTheStep() {
        BitLM lm = model(false, 6);
        int[] tokens = randomTokens(new Random(6), 32);
        float[][] out = new float[2][];
        for (int step = 0; step < 2; step++) {
            lm.setNoiseSeed(9, step);
            try (NDManager m = manager.newSubManager()) {
                out[step] = lm.forward(m.create(tokens, new Shape(1, 32)), true).toFloatArray();
            }
        }
        assertThat(out[1]).isNotEqualTo(out[0]);
    }

    @Test
    void floatAblationRunsAndDiffersFromTheOneBitModel() {
        BitLM bit = model(false, 7);
        BitLM twin = model(true, 8);
        // same parameter values in both
        bit.namedParameters().forEach((name, p) -> twin.namedParameters().get(name).getArray().set(p.getArray().toFloatArray()));
        int[] tokens = randomTokens(new Random(7), 16);
        float[] a = bit.evalLogits(manager, tokens);
        float[] b = twin.evalLogits(manager, tokens);
        assertThat(b).hasSameSizeAs(a).doesNotContain(Float.NaN);
        assertThat(b).isNotEqualTo(a);
        assertThat(twin.evalLogits(manager, tokens)).containsExactly(b);
    }

    @Test
    void badInputGetsOneClearError() {
        BitLM lm = model(false, 9);
        assertThatThrownBy(() -> lm.evalLogits(manager, new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token");
        assertThatThrownBy(() -> lm.evalLogits(manager, new int[] {1, 256})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 1 is 256");
        try (NDManager m = manager.newSubManager()) {
            assertThatThrownBy(() -> lm.forward(m.create(new int[] {1, 2, 3}), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(B, T)");
            assertThatThrownBy(() -> lm.forward(m.create(new float[] {1, 2}, new Shape(1, 2)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float32");
        }
        assertThatThrownBy(() -> BitLM.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ModelConfig");
    }

    @Test
    void aTrainingForwardLeavesNoLargeActivationOpen() {
        // Autograd keeps what backward needs; an open DJL handle would also keep every (B, H, T, T),
        // (B, T, F) and (B, T, V) temporary until the step ends (GPU memory grew by ~1 GB per 75m layer).
        BitLM lm = model(false, 3);
        lm.setNoiseSeed(1, 1);
        int t = SMALL.context();
        try (NDManager step = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = lm.forward(step.create(randomTokens(new Random(3), 2 * t), new Shape(2, t)), true);
            List<String> open = new ArrayList<>();
            for (NDArray a : step.getManagedArrays()) {
                Shape s = a.getShape();
                int rank = s.dimension();
                boolean large = rank >= 3 && (s.get(rank - 1) == SMALL.dFf() || s.get(rank - 1) == SMALL.vocabSize())
                        || rank == 4 && s.get(2) == t && s.get(3) == t;
                if (large && a != logits) {
                    open.add(s.toString());
                }
            }
            assertThat(open).as("large arrays still open after the forward").isEmpty();
            gc.backward(logits.mean());
        }
        lm.namedParameters().values().forEach(p -> p.getArray().getGradient().subi(p.getArray().getGradient()));
    }
}
