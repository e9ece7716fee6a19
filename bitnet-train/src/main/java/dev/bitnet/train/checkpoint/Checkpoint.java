package dev.bitnet.train.checkpoint;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A training checkpoint read back from disk: the reader API of the exporter (no DJL needed).
 *
 * <p>A checkpoint is a directory:
 * <pre>
 *   checkpoint.json   format "bitnet-train-checkpoint", version, step, tokens, model, train, metrics,
 *                     data (the training and validation inputs and their token counts; optional)
 *   params.bin        parameters by name ({@link TensorFile}), named like BitLM's parameters:
 *                     embedding.weight, layers.{l}.attn.q.weight / .alpha / .theta, ...
 *   optimizer.bin     AdamW moments m.{param} and v.{param} (absent in best/)
 * </pre>
 * A run directory holds {@code last/} (the latest), {@code best/} (lowest validation loss) and
 * {@code metrics.jsonl}; see {@link #resolve(Path)}.
 *
 * @param dir    the checkpoint directory read
 * @param meta   step, configs and metrics
 * @param params parameters by name, in file order
 */
public record Checkpoint(Path dir, CheckpointMeta meta, SequencedMap<String, FloatTensor> params) {

    /** The {@code format} field of {@code checkpoint.json}. */
    public static final String FORMAT = "bitnet-train-checkpoint";
    /** The checkpoint layout version this code writes and reads. */
    public static final int VERSION = 1;
    static final String META_FILE = "checkpoint.json";
    static final String PARAMS_FILE = "params.bin";
    static final String OPTIMIZER_FILE = "optimizer.bin";
    /** Name of the latest checkpoint in a run directory. */
    public static final String LAST = "last";
    /** Name of the best (lowest validation loss) checkpoint in a run directory. */
    public static final String BEST = "best";
    /** Suffix of the previous checkpoint while a new one is being moved into place. */
    static final String OLD_SUFFIX = ".old";

    static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeSpecialFloatingPointValues()
            .setPrettyPrinting()
            .create();

    /** The model's shape. */
    public ModelConfig model() {
        return meta.model();
    }

    /** Updates done. */
    public int step() {
        return meta.step();
    }

    /** Validation figures at this step. */
    public CheckpointMetrics metrics() {
        return meta.metrics();
    }

    /**
     * The checkpoint directory meant by {@code path}: {@code path} itself when it holds
     * {@code checkpoint.json}, else the run's {@code last/}, else {@code last.old/} (left by an
     * interrupted write, when it is the newest complete checkpoint).
     *
     * @throws CheckpointException naming the path when it holds neither
     */
    public static Path resolve(Path path) {
        if (Files.isRegularFile(path.resolve(META_FILE))) {
            return path;
        }
        for (String name : new String[] {LAST, LAST + OLD_SUFFIX}) {
            Path p = path.resolve(name);
            if (Files.isRegularFile(p.resolve(META_FILE))) {
                return p;
            }
        }
        throw new CheckpointException(path + ": not a checkpoint (no " + META_FILE + ") and not a run directory (no "
                + LAST + "/" + META_FILE + ")");
    }

    /**
     * Reads a checkpoint (a checkpoint directory or a run directory, see {@link #resolve(Path)}).
     *
     * @throws CheckpointException naming the file and the problem: not a checkpoint, another
     *                             format or version, corrupt or missing tensors
     */
    public static Checkpoint read(Path path) {
        Path dir = resolve(path);
        CheckpointMeta meta = readMeta(dir);
        SequencedMap<String, FloatTensor> params = TensorFile.read(dir.resolve(PARAMS_FILE));
        return new Checkpoint(dir, meta, params);
    }

    /** Whether the checkpoint directory holds optimizer state ({@code best/} does not). */
    public static boolean hasOptimizer(Path dir) {
        return Files.isRegularFile(dir.resolve(OPTIMIZER_FILE));
    }

    /**
     * Reads the optimizer state of a checkpoint directory.
     *
     * @throws CheckpointException when it has none or it is unreadable
     */
    public static OptimizerState readOptimizer(Path dir) {
        Path file = dir.resolve(OPTIMIZER_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir + ": checkpoint holds no optimizer state (" + OPTIMIZER_FILE + ")");
        }
        JsonObject o = readJson(dir.resolve(META_FILE));
        if (!o.has("optimizer_step")) {
            throw new CheckpointException(dir.resolve(META_FILE) + ": field 'optimizer_step' is missing");
        }
        int step = o.get("optimizer_step").getAsInt();
        Map<String, float[]> moments = new LinkedHashMap<>();
        TensorFile.read(file).forEach((name, t) -> moments.put(name, t.data()));
        return new OptimizerState(step, moments);
    }

    /** Reads and checks {@code checkpoint.json} of a checkpoint directory. */
    public static CheckpointMeta readMeta(Path dir) {
        Path file = dir.resolve(META_FILE);
        JsonObject o = readJson(file);
        String format = o.has("format") && o.get("format").isJsonPrimitive() ? o.get("format").getAsString() : null;
        if (!FORMAT.equals(format)) {
            throw new CheckpointException(file + ": not a bitnet training checkpoint (format " + format + ", expected "
                    + FORMAT + ")");
        }
        int version = o.has("version") ? o.get("version").getAsInt() : -1;
        if (version != VERSION) {
            throw new CheckpointException(file + ": checkpoint version " + version + " is not supported by this trainer"
                    + " (expected " + VERSION + ")");
        }
        try {
            ModelConfig model = ModelConfigJson.fromJson(o.getAsJsonObject("model"), file + " model");
            TrainConfig train = GSON.fromJson(o.get("train"), TrainConfig.class);
            CheckpointMetrics metrics = o.has("metrics") ? GSON.fromJson(o.get("metrics"), CheckpointMetrics.class)
                    : CheckpointMetrics.NONE;
            // Older checkpoints have no data provenance.
            DataProvenance data = o.has("data") && !o.get("data").isJsonNull()
                    ? GSON.fromJson(o.get("data"), DataProvenance.class) : null;
            return new CheckpointMeta(model, o.get("float_ablation").getAsBoolean(), o.get("step").getAsInt(),
                    o.get("tokens").getAsLong(), train, metrics, data);
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": malformed checkpoint metadata: " + e.getMessage(), e);
        }
    }

    static JsonObject metaJson(CheckpointMeta meta, Integer optimizerStep) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("step", meta.step());
        o.addProperty("tokens", meta.tokens());
        o.addProperty("float_ablation", meta.floatAblation());
        o.add("model", ModelConfigJson.toJson(meta.model()));
        o.add("train", GSON.toJsonTree(meta.train()));
        o.add("metrics", GSON.toJsonTree(meta.metrics()));
        if (meta.data() != null) {
            o.add("data", GSON.toJsonTree(meta.data()));
        }
        if (optimizerStep != null) {
            o.addProperty("optimizer_step", optimizerStep);
        }
        return o;
    }

    private static JsonObject readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new CheckpointException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
