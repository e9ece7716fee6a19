package dev.bitnet.compact.verify;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.runtime.engine.Forward;
import dev.bitnet.runtime.engine.Weights;
import dev.bitnet.runtime.engine.WorkerPool;
import dev.bitnet.runtime.kernel.BitKernels;

import java.nio.file.Path;

/** The runtime's side of a layer-by-layer comparison: its residual stream at every stage. */
final class RuntimeResiduals {

    private RuntimeResiduals() {
    }

    /** Stages as in {@link TrainerForward#residuals(int[])}, each row-major {@code (T, d)}. */
    static float[][] of(Path model, BitKernels kernels, int[] tokens) throws Bit2FormatException {
        try (Bit2File file = Bit2File.open(model, false); WorkerPool pool = new WorkerPool(1)) {
            Weights w = Weights.load(file, kernels);
            ModelConfig c = w.config();
            int d = c.dModel();
            int t = tokens.length;
            float[][] out = new float[1 + 2 * c.nLayers()][t * d];
            for (int i = 0; i < t; i++) {
                w.embed(tokens[i], out[0], i * d);
            }
            Forward forward = new Forward(w, kernels, pool, Math.max(t, c.context()));
            forward.setResidualProbe((layer, afterFfn, first, n, x) ->
                    System.arraycopy(x, 0, out[1 + 2 * layer + (afterFfn ? 1 : 0)], (int) first * d, n * d));
            for (int i = 0; i < t; i += Forward.CHUNK) {
                forward.feed(tokens, i, Math.min(Forward.CHUNK, t - i));
            }
            return out;
        }
    }
}
