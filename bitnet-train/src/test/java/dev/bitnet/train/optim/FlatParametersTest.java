package dev.bitnet.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.model.BitLM;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FlatParametersTest {

    private static final ModelConfig SMALL = new ModelConfig(256, 32, 2, 4, 64, 16, TokenizerKind.BYTES);

    private static BitLM model(NDManager manager) {
        Engine.getInstance().setRandomSeed(7);
        BitLM lm = BitLM.builder().setConfig(SMALL).build();
        lm.initialize(manager);
        lm.setNoiseSeed(3, 4);
        return lm;
    }

    private static Map<String, NDArray> arrays(BitLM lm) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        lm.namedParameters().forEach((name, p) -> m.put(name, p.getArray()));
        return m;
    }

    @Test
    void aForwardThroughTheFlatViewsGivesTheSameLogitsAndGradientsAsThePlainModel() {
        int[] tokens = new Random(1).ints(2 * SMALL.context(), 0, 256).toArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            BitLM plain = model(manager);
            BitLM flatModel = model(manager);
            Map<String, float[]> before = new LinkedHashMap<>();
            arrays(flatModel).forEach((name, a) -> before.put(name, a.toFloatArray()));
            FlatParameters flat = new FlatParameters(arrays(flatModel), BitLM::isLatentMatrix);

            // Decayed (latent) parameters first, and the arrays now read the flat array's values.
            assertThat(flat.names().getFirst()).isEqualTo("embedding.weight");
            assertThat(flat.names().subList(0, (int) flat.names().stream().filter(BitLM::isLatentMatrix).count()))
                    .allMatch(BitLM::isLatentMatrix);
            arrays(flatModel).forEach((name, a) -> assertThat(a.toFloatArray()).as(name).containsExactly(before.get(name)));
            assertThat(flat.all().size()).isEqualTo(flatModel.parameterCount());

            float[] plainLogits;
            float[] flatLogits;
            try (NDManager step = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = plain.forward(step.create(tokens, new Shape(2, SMALL.context())), true);
                plainLogits = logits.toFloatArray();
                gc.backward(logits.mean());
            }
            try (NDManager step = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ParameterStore ps = flat.store(step, flatModel.namedParameters());
                NDArray logits = flatModel.forward(ps, new NDList(step.create(tokens, new Shape(2, SMALL.context()))), true)
                        .singletonOrThrow();
                flatLogits = logits.toFloatArray();
                gc.backward(logits.mean());
            }
            assertThat(flatLogits).containsExactly(plainLogits);
            try (NDManager step = manager.newSubManager()) {
                Map<String, NDArray> grads = flat.views(flat.all().getGradient(), step);
                plain.namedParameters().forEach((name, p) -> {
                    NDArray g = p.getArray().getGradient();
                    g.attach(step);
                    assertThat(grads.get(name).toFloatArray()).as("gradient of %s", name).containsExactly(g.toFloatArray());
                });
            }

            // Writing the flat array is what every parameter array then holds.
            try (NDManager step = manager.newSubManager()) {
                NDArray latent = FlatParameters.range(flat.all(), 0, flat.decayedSize(), step);
                latent.set(new ai.djl.ndarray.index.NDIndex("..."), 0.5f);
            }
            assertThat(arrays(flatModel).get("layers.1.ffn.down.weight").toFloatArray()).containsOnly(0.5f);
            assertThat(arrays(flatModel).get("head.bias").toFloatArray()).containsExactly(before.get("head.bias"));
        }
    }
}
