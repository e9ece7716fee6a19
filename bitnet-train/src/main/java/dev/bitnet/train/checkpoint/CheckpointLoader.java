package dev.bitnet.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.FlatParameters;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Copies checkpoint tensors into an initialised {@link BitLM}'s parameters, in place. */
public final class CheckpointLoader {

    private CheckpointLoader() {
    }

    /**
     * Loads every parameter of {@code model} from {@code checkpoint}.
     *
     * @throws CheckpointException naming a missing, extra or mis-shaped tensor, or a model of
     *                             another shape (context aside) or kind (float twin vs 1-bit)
     */
    public static void load(Checkpoint checkpoint, BitLM model) {
        // The context length shapes no parameter (ALiBi has no trained positions): it may differ.
        if (!checkpoint.model().withContext(model.getConfig().context()).equals(model.getConfig())) {
            throw new CheckpointException(checkpoint.dir() + ": checkpoint model " + checkpoint.model()
                    + " differs from " + model.getConfig());
        }
        if (checkpoint.meta().floatAblation() != model.isFloatAblation()) {
            throw new CheckpointException(checkpoint.dir() + ": checkpoint is "
                    + (checkpoint.meta().floatAblation() ? "a float-ablation" : "a 1-bit") + " model, the model is not");
        }
        load(checkpoint.params(), model, checkpoint.dir().toString());
    }

    /** Loads parameters by name; {@code source} is named in errors. */
    public static void load(Map<String, FloatTensor> tensors, BitLM model, String source) {
        Map<String, Parameter> params = model.namedParameters();
        Set<String> extra = new HashSet<>(tensors.keySet());
        extra.removeAll(params.keySet());
        if (!extra.isEmpty()) {
            throw new CheckpointException(source + ": tensors the model does not have: " + extra);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            FloatTensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new CheckpointException(source + ": tensor '" + e.getKey() + "' is missing");
            }
            NDArray a = e.getValue().getArray();
            long[] shape = a.getShape().getShape();
            if (!Arrays.equals(shape, t.shape())) {
                throw new CheckpointException(source + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + ", the model's is " + Arrays.toString(shape));
            }
            FlatParameters.copyInto(a, t.data());            // in place: the trainer's arrays are views
        }
    }
}
