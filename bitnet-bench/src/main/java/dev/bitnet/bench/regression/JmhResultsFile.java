package dev.bitnet.bench.regression;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;

/**
 * Reads the JSON file JMH writes with {@code -rf json} (or {@code ResultFormatType.JSON}): an
 * array of results, each with {@code benchmark}, {@code mode}, {@code threads}, optional
 * {@code params} and {@code primaryMetric.{score, scoreError, scoreUnit}}. Only those fields are
 * read; JMH writes {@code "NaN"} as a string when it has too few iterations for an error.
 * {@code ./bitnet bench} adds a {@code cpu} field, {@code {"model": ..., "features": [...]}}
 * ({@link Cpu}), to each result of the files it writes, so that a baseline names the CPU it was
 * measured on.
 */
public final class JmhResultsFile {

    private JmhResultsFile() {}

    /**
     * A results or baseline file that cannot be judged: missing, unreadable, not JSON, or not in
     * JMH's result schema. The message names the file, the result and the field.
     */
    public static final class BadFileException extends IOException {

        BadFileException(Path file, String problem) {
            this(file, problem, null);
        }

        BadFileException(Path file, String problem, Throwable cause) {
            super(file + ": " + problem, cause);
        }
    }

    /** The results in {@code file}, in file order. */
    public static List<BenchResult> read(Path file) throws BadFileException {
        JsonArray rows = rows(file);
        List<BenchResult> results = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            results.add(result(file, i, rows.get(i)));
        }
        return List.copyOf(results);
    }

    /** The CPU the results in {@code file} name; empty for a file that names none (written by JMH itself). */
    public static Optional<Cpu> cpu(Path file) throws BadFileException {
        JsonArray rows = rows(file);
        Cpu cpu = null;
        for (int i = 0; i < rows.size(); i++) {
            JsonElement row = rows.get(i);
            JsonElement c = row.isJsonObject() ? row.getAsJsonObject().get("cpu") : null;
            if (c == null) continue;
            Cpu named = cpu(file, "result " + i, c);
            if (cpu != null && !cpu.equals(named)) {
                throw new BadFileException(file, "result " + i + ": cpu: " + named.describe()
                        + ", but earlier results name " + cpu.describe());
            }
            cpu = named;
        }
        return Optional.ofNullable(cpu);
    }

    /**
     * Adds {@code "cpu": cpu} to every result in {@code file} and drops the paths of this machine
     * that JMH records (the {@code jvm} executable, absolute paths in {@code jvmArgs}), so that a
     * saved baseline can be committed. The file is rewritten whole: a temporary file, then a move.
     */
    public static void stampCpu(Path file, Cpu cpu) throws IOException {
        JsonArray rows = rows(file);
        for (JsonElement row : rows) {
            if (!row.isJsonObject()) continue;
            JsonObject o = row.getAsJsonObject();
            o.add("cpu", json(cpu));
            if (o.has("jvm")) o.addProperty("jvm", "java");
            if (o.get("jvmArgs") instanceof JsonArray args) {
                for (int i = 0; i < args.size(); i++) {
                    if (args.get(i).isJsonPrimitive()) args.set(i, new JsonPrimitive(withoutPath(args.get(i).getAsString())));
                }
            }
        }
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(rows) + "\n");
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code -Dkey=/abs/dir/file} becomes {@code -Dkey=file}; anything else is kept. */
    static String withoutPath(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 0 || eq + 1 >= arg.length() || arg.charAt(eq + 1) != '/') return arg;
        return arg.substring(0, eq + 1) + Path.of(arg.substring(eq + 1)).getFileName();
    }

    private static JsonObject json(Cpu cpu) {
        JsonObject o = new JsonObject();
        o.addProperty("model", cpu.model());
        JsonArray f = new JsonArray();
        cpu.features().forEach(f::add);
        o.add("features", f);
        return o;
    }

    private static Cpu cpu(Path file, String where, JsonElement e) throws BadFileException {
        if (!e.isJsonObject()) throw new BadFileException(file, where + ": cpu: expected an object");
        JsonElement model = e.getAsJsonObject().get("model");
        JsonElement features = e.getAsJsonObject().get("features");
        if (model == null || !model.isJsonPrimitive() || features == null || !features.isJsonArray()) {
            throw new BadFileException(file, where + ": cpu: expected {\"model\": \"...\", \"features\": [...]}");
        }
        List<String> f = new ArrayList<>();
        for (JsonElement x : features.getAsJsonArray()) {
            if (!x.isJsonPrimitive()) throw new BadFileException(file, where + ": cpu.features: expected names");
            f.add(x.getAsString());
        }
        return new Cpu(model.getAsString(), f);
    }

    private static JsonArray rows(Path file) throws BadFileException {
        JsonElement root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = JsonParser.parseReader(in);
        } catch (NoSuchFileException e) {
            throw new BadFileException(file, "no such file");
        } catch (JsonParseException e) {
            throw new BadFileException(file, "not valid JSON: " + rootMessage(e));
        } catch (IOException e) {
            throw new BadFileException(file, "cannot read: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new BadFileException(file, "not a JMH results file: expected a JSON array of results");
        }
        return root.getAsJsonArray();
    }

    private static BenchResult result(Path file, int index, JsonElement element) throws BadFileException {
        String where = "result " + index;
        if (!element.isJsonObject()) throw new BadFileException(file, where + ": not a JSON object");
        JsonObject row = element.getAsJsonObject();
        String benchmark = string(file, where, row, "benchmark");
        where = where + " (" + benchmark + ")";
        if (benchmark.indexOf('.') < 0) {
            throw new BadFileException(file, where + ": benchmark: expected Class.method, got '" + benchmark + "'");
        }
        String modeLabel = string(file, where, row, "mode");
        Mode mode;
        try {
            mode = Mode.deepValueOf(modeLabel);
        } catch (IllegalStateException e) {
            throw new BadFileException(file, where + ": mode: unknown JMH mode '" + modeLabel + "'");
        }
        int threads = (int) number(file, where, row, "threads");
        TreeMap<String, String> params = new TreeMap<>();
        JsonElement p = row.get("params");
        if (p != null) {
            if (!p.isJsonObject()) throw new BadFileException(file, where + ": params: expected an object");
            for (Map.Entry<String, JsonElement> e : p.getAsJsonObject().entrySet()) {
                if (!e.getValue().isJsonPrimitive()) {
                    throw new BadFileException(file, where + ": params." + e.getKey() + ": expected a value");
                }
                params.put(e.getKey(), e.getValue().getAsString());
            }
        }
        JsonElement m = row.get("primaryMetric");
        if (m == null || !m.isJsonObject()) throw new BadFileException(file, where + ": missing primaryMetric");
        JsonObject metric = m.getAsJsonObject();
        double score = number(file, where, metric, "primaryMetric.score");
        double error = number(file, where, metric, "primaryMetric.scoreError");
        String unit = string(file, where, metric, "primaryMetric.scoreUnit");
        if (!BenchResult.isJmhUnit(unit)) {
            throw new BadFileException(file, where + ": primaryMetric.scoreUnit: not ops/<time> or <time>/op: '" + unit + "'");
        }
        if (!(score > 0) || Double.isInfinite(score)) {
            throw new BadFileException(file, where + ": primaryMetric.score: expected a positive number, got " + score);
        }
        return new BenchResult(benchmark, mode, threads, params, score, error, unit);
    }

    // label: the field's path from the result, e.g. primaryMetric.score for o's "score"
    private static String string(Path file, String where, JsonObject o, String label) throws BadFileException {
        JsonElement e = o.get(label.substring(label.lastIndexOf('.') + 1));
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new BadFileException(file, where + ": " + label + ": missing or not a string");
        }
        return e.getAsString();
    }

    // JMH writes NaN and infinities as strings ("NaN"); every other number is a JSON number.
    private static double number(Path file, String where, JsonObject o, String label) throws BadFileException {
        JsonElement e = o.get(label.substring(label.lastIndexOf('.') + 1));
        if (e != null && e.isJsonPrimitive()) {
            var p = e.getAsJsonPrimitive();
            if (p.isNumber()) return p.getAsDouble();
            if (p.isString() && p.getAsString().equals("NaN")) return Double.NaN;
        }
        throw new BadFileException(file, where + ": " + label + ": missing or not a number: " + e);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
