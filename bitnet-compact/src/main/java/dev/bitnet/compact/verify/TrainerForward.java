package dev.bitnet.compact.verify;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointLoader;
import dev.bitnet.train.model.BitBlock;
import dev.bitnet.train.model.BitLM;

/**
 * The trainer's side of a parity check: a {@link BitLM} on the CPU holding a checkpoint's
 * parameters, run in evaluation mode (deterministic, no noise).
 */
final class TrainerForward implements AutoCloseable {

    private final NDManager manager;
    private final BitLM model;
    private final ModelConfig config;
    private final float[] embedding;   // (V, d) latent E
    private final float[] scale;       // (d) e_scale

    TrainerForward(Checkpoint checkpoint) {
        config = checkpoint.model();
        manager = NDManager.newBaseManager(Device.cpu());
        try {
            model = BitLM.builder().setConfig(config).build();
            model.initialize(manager);
            CheckpointLoader.load(checkpoint, model);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        embedding = checkpoint.params().get("embedding.weight").data();
        scale = checkpoint.params().get("embedding.scale").data();
    }

    /** Logits of one sequence, row-major {@code (T, V)}. */
    float[] logits(int[] tokens) {
        return model.evalLogits(manager, tokens);
    }

    /**
     * The residual stream at every stage, each row-major {@code (T, d)}: stage 0 is the
     * embedding, stage {@code 1 + 2l} the stream after layer {@code l}'s attention and
     * {@code 2 + 2l} after its FFN ({@link BitBlock#attentionStep}, {@link BitBlock#ffnStep}: the
     * halves of the block's own forward), so the final stage is what the head sees.
     */
    float[][] residuals(int[] tokens) {
        int d = config.dModel();
        int t = tokens.length;
        float[][] out = new float[1 + 2 * config.nLayers()][];
        float[] x0 = new float[t * d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                // sign_ste(E)[token] * e_scale: the product of ±1 and e_scale is exact.
                x0[i * d + j] = embedding[tokens[i] * d + j] >= 0f ? scale[j] : -scale[j];
            }
        }
        out[0] = x0;
        try (NDManager sub = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(sub, false);
            NDArray x = sub.create(x0, new Shape(1, t, d));
            for (int l = 0; l < config.nLayers(); l++) {
                BitBlock block = model.getLayers().get(l);
                x = block.attentionStep(ps, x, false);
                out[1 + 2 * l] = x.toFloatArray();
                x = block.ffnStep(ps, x, false);
                out[2 + 2 * l] = x.toFloatArray();
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
