package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.runtime.engine.Forward;
import dev.bitnet.core.format.DType;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.TensorSpec;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link BitNetModel#load} checks beyond the format and the tensor layout: that a session
 * fits the memory limit (before anything is allocated for it), and that the float values give
 * finite logits, so that sampling and evaluation never see NaN.
 */
final class LoadChecks {

    private LoadChecks() {
    }

    /**
     * Refuses a model whose sessions would need more than {@code limit} bytes at their largest,
     * or whose attention caches at this window would not fit a Java array.
     */
    static void sessionMemory(Path file, ModelConfig c, int window, long limit) throws Bit2FormatException {
        long perLayerWords = Forward.cacheWordsPerLayer(c, window);
        if (perLayerWords > Integer.MAX_VALUE - 8) {
            throw new Bit2FormatException(file, "config", "attention window " + window + " is too large for this model: "
                    + "one layer's key cache would hold " + perLayerWords + " words, more than a Java array can");
        }
        double need = Session.memoryBytes(c, window);
        if (need > limit) {
            throw new Bit2FormatException(file, "config", String.format(Locale.ROOT,
                    "a session of this model (%s) needs %s at an attention window of %d, more than the limit of %s: "
                            + "raise ModelOptions.maxSessionBytes (--max-session-mb on the command line) to load it",
                    c, mib(need), window, mib(limit)));
        }
    }

    /**
     * Requires every float tensor of the layout to be finite, and every logit the head can give
     * to be finite: {@code ((float)(s * c) * alpha_v) + b_v} is monotone in the product s, so
     * checking {@code s = -d} and {@code s = d} covers every input. The model's residual may
     * still overflow, but only its signs are read (by the norms), and those stay defined.
     */
    static void finiteValues(Bit2File file) throws Bit2FormatException {
        ModelConfig c = file.config();
        for (TensorSpec t : ModelLayout.tensors(c)) {
            if (t.dtype() != DType.F32) {
                continue;
            }
            float[] v = file.floats(t.name());
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new Bit2FormatException(file.path(), "tensor " + t.name(), "value " + i + " is not finite: " + v[i]);
                }
            }
        }
        float[] alpha = file.floats(ModelLayout.HEAD_ALPHA);
        float[] bias = file.floats(ModelLayout.HEAD_BIAS);
        int d = c.dModel();
        float scale = BitMath.invSqrt(d);
        for (int r = 0; r < alpha.length; r++) {
            for (int s = -d; s <= d; s += 2 * d) {
                float logit = (s * scale) * alpha[r] + bias[r];
                if (!Float.isFinite(logit)) {
                    throw new Bit2FormatException(file.path(), "tensor " + ModelLayout.HEAD_ALPHA, "token " + r
                            + ": alpha " + alpha[r] + " and bias " + bias[r] + " give the logit " + logit
                            + " for the product " + s + " (the logits must be finite)");
                }
            }
        }
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
    }
}
