package dev.bitnet.train.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;

import java.util.List;

/**
 * A {@link ModelConfig} as JSON with the field names of MODEL.md: {@code vocab_size, d_model,
 * n_layers, n_heads, d_ff, context, tokenizer}. Used by checkpoints and by {@code --config}.
 */
public final class ModelConfigJson {

    /** The accepted field names. */
    public static final List<String> FIELDS = List.of("vocab_size", "d_model", "n_layers", "n_heads", "d_ff",
            "context", "tokenizer");

    private ModelConfigJson() {
    }

    /** All fields of {@code c}. */
    public static JsonObject toJson(ModelConfig c) {
        JsonObject o = new JsonObject();
        o.addProperty("vocab_size", c.vocabSize());
        o.addProperty("d_model", c.dModel());
        o.addProperty("n_layers", c.nLayers());
        o.addProperty("n_heads", c.nHeads());
        o.addProperty("d_ff", c.dFf());
        o.addProperty("context", c.context());
        o.addProperty("tokenizer", c.tokenizer().id());
        return o;
    }

    /**
     * {@code base} with the fields present in {@code o} replaced.
     *
     * @param source named in error messages (a file name)
     * @throws IllegalArgumentException naming the source and the unknown or malformed field, or
     *                                  the invalid resulting config (see {@link ModelConfig})
     */
    public static ModelConfig override(ModelConfig base, JsonObject o, String source) {
        for (String key : o.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown model field '" + key + "' (expected one of "
                        + FIELDS + ")");
            }
        }
        try {
            return new ModelConfig(
                    intField(o, "vocab_size", base.vocabSize(), source),
                    intField(o, "d_model", base.dModel(), source),
                    intField(o, "n_layers", base.nLayers(), source),
                    intField(o, "n_heads", base.nHeads(), source),
                    intField(o, "d_ff", base.dFf(), source),
                    intField(o, "context", base.context(), source),
                    o.has("tokenizer") ? TokenizerKind.parse(string(o, "tokenizer", source)) : base.tokenizer());
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a complete config (every field present). */
    public static ModelConfig fromJson(JsonObject o, String source) {
        for (String f : FIELDS) {
            if (!o.has(f)) {
                throw new IllegalArgumentException(source + ": model field '" + f + "' is missing");
            }
        }
        return override(ModelConfig.preset("tiny"), o, source);
    }

    private static int intField(JsonObject o, String name, int fallback, String source) {
        if (!o.has(name)) {
            return fallback;
        }
        JsonElement e = o.get(name);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException(source + ": model field '" + name + "' must be an integer, got " + e);
    }

    private static String string(JsonObject o, String name, String source) {
        JsonElement e = o.get(name);
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new IllegalArgumentException(source + ": model field '" + name + "' must be a string, got " + e);
    }
}
