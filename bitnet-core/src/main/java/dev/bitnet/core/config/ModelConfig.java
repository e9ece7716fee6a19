package dev.bitnet.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of a BitNet v75 model (see {@code docs/model.md}, "Configuration").
 *
 * <p>Construction validates every field; an invalid combination throws an
 * {@link IllegalArgumentException} whose message names the field, the rule and the value.
 *
 * @param vocabSize vocabulary size V; must equal the tokenizer's
 * @param dModel    width of the residual stream d
 * @param nLayers   number of blocks L
 * @param nHeads    attention heads H; {@code dModel % nHeads == 0}
 * @param dFf       feed-forward width F
 * @param context   trained context length T (inference may run past it)
 * @param tokenizer the tokenizer the model was built for
 */
public record ModelConfig(int vocabSize, int dModel, int nLayers, int nHeads, int dFf, int context,
                          TokenizerKind tokenizer) {

    /** Largest accepted value of any size field; keeps every tensor's byte length well inside a long. */
    public static final int MAX_DIMENSION = 1 << 20;

    private static final Map<String, ModelConfig> PRESETS = presets();

    public ModelConfig {
        List<String> problems = new ArrayList<>();
        positive(problems, "vocab_size", vocabSize);
        positive(problems, "d_model", dModel);
        positive(problems, "n_layers", nLayers);
        positive(problems, "n_heads", nHeads);
        positive(problems, "d_ff", dFf);
        positive(problems, "context", context);
        if (tokenizer == null) {
            problems.add("tokenizer: must be given (bytes or gpt2)");
        }
        if (problems.isEmpty()) {
            if (dModel % nHeads != 0) {
                problems.add("d_model: must be divisible by n_heads, got d_model=" + dModel + ", n_heads=" + nHeads);
            }
            if (vocabSize != tokenizer.vocabSize()) {
                problems.add("vocab_size: must be " + tokenizer.vocabSize() + " for tokenizer " + tokenizer
                        + ", got " + vocabSize);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid model config: " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String field, int value) {
        if (value <= 0 || value > MAX_DIMENSION) {
            problems.add(field + ": must be in [1, " + MAX_DIMENSION + "], got " + value);
        }
    }

    /** Width of one attention head, {@code d / H}. */
    public int dHead() {
        return dModel / nHeads;
    }

    /**
     * Exact number of trained parameters, counting the tied embedding once: latent matrices,
     * per-channel alpha and theta or bias, RMSNorm gains, embedding scale and head alpha/bias.
     * ALiBi slopes are fixed and not counted.
     */
    public long parameterCount() {
        long d = dModel;
        long f = dFf;
        long v = vocabSize;
        long binaryLinear = d * d + 2 * d;                  // q, k, v: W, alpha, theta
        long perLayer = 3 * binaryLinear
                + (d * d + 2 * d)                           // attention output: W, alpha, bias
                + 2 * (f * d + 2 * f)                       // gate, up: W, alpha, theta
                + (d * f + 2 * d)                           // down: W, alpha, bias
                + 2 * d;                                    // two RMSNorm gains
        long embedding = v * d + d + 2 * v;                 // E, e_scale, alpha_v, b_v
        return nLayers * perLayer + embedding + d;          // + final RMSNorm gain
    }

    /** One readable line, e.g. {@code vocab 256, d_model 256, layers 4, heads 4 (d_head 64), d_ff 768, context 256, tokenizer bytes}. */
    @Override
    public String toString() {
        return "vocab " + vocabSize + ", d_model " + dModel + ", layers " + nLayers + ", heads " + nHeads
                + " (d_head " + dHead() + "), d_ff " + dFf + ", context " + context + ", tokenizer " + tokenizer;
    }

    /** A copy with a different trained context length. */
    public ModelConfig withContext(int newContext) {
        return new ModelConfig(vocabSize, dModel, nLayers, nHeads, dFf, newContext, tokenizer);
    }

    /** The preset names in order of size: {@code tiny}, {@code 75m}, {@code 300m}. */
    public static List<String> presetNames() {
        return List.copyOf(PRESETS.keySet());
    }

    /**
     * The preset this shape is, at any context ({@code --ctx} may change it), or empty if none
     * (a custom {@code --config}).
     */
    public Optional<String> presetName() {
        for (Map.Entry<String, ModelConfig> e : PRESETS.entrySet()) {
            if (e.getValue().withContext(context).equals(this)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The named preset of the spec.
     *
     * @throws IllegalArgumentException naming the unknown preset and the known ones
     */
    public static ModelConfig preset(String name) {
        ModelConfig c = PRESETS.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "' (expected one of " + presetNames() + ")");
        }
        return c;
    }

    private static Map<String, ModelConfig> presets() {
        Map<String, ModelConfig> m = new LinkedHashMap<>();
        m.put("tiny", new ModelConfig(256, 256, 4, 4, 768, 256, TokenizerKind.BYTES));
        m.put("75m", new ModelConfig(50257, 512, 12, 8, 2048, 1024, TokenizerKind.GPT2));
        m.put("300m", new ModelConfig(50257, 1024, 16, 16, 4096, 1024, TokenizerKind.GPT2));
        return m;
    }
}
