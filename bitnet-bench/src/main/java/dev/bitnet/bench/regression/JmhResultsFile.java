package dev.bitnet.bench.regression;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
 * {@code ./bitnet bench} adds a {@code cpu} field ({@link Cpu}) to each result of the files it
 * writes, so that a baseline names the CPU it was measured on.
 */
public final class JmhResultsFile {

    private JmhResultsFile() {}

    /** The results in {@code file}, in file order. */
    public static List<BenchResult> read(Path file) throws BenchInputException {
        JsonArray rows = rows(file);
        List<BenchResult> results = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            results.add(result(file, i, rows.get(i)));
        }
        return List.copyOf(results);
    }

    /** The CPU the results in {@code file} name; empty for a file that names none (written by JMH itself). */
    public static Optional<Cpu> cpu(Path file) throws BenchInputException {
        JsonArray rows = rows(file);
        Cpu cpu = null;
        for (int i = 0; i < rows.size(); i++) {
            JsonElement row = rows.get(i);
            JsonElement c = row.isJsonObject() ? row.getAsJsonObject().get("cpu") : null;
            if (c == null) continue;
            Cpu named = Cpu.fromJson(file, "result " + i, c);
            if (cpu != null && !cpu.equals(named)) {
                throw new BenchInputException(file, "result " + i + ": cpu: " + named.describe()
                        + ", but earlier results name " + cpu.describe());
            }
            cpu = named;
        }
        return Optional.ofNullable(cpu);
    }

    /** Adds {@code "cpu": cpu} to every result in {@code file} (rewritten whole: a temporary file, then a move). */
    public static void stampCpu(Path file, Cpu cpu) throws BenchInputException, IOException {
        JsonArray rows = rows(file);
        for (JsonElement row : rows) {
            if (row.isJsonObject()) row.getAsJsonObject().add("cpu", cpu.toJson());
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

    private static JsonArray rows(Path file) throws BenchInputException {
        JsonElement root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = JsonParser.parseReader(in);
        } catch (NoSuchFileException e) {
            throw new BenchInputException(file, "no such file");
        } catch (JsonParseException e) {
            throw new BenchInputException(file, "not valid JSON: " + rootMessage(e));
        } catch (IOException e) {
            throw new BenchInputException(file, "cannot read: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new BenchInputException(file, "not a JMH results file: expected a JSON array of results");
        }
        return root.getAsJsonArray();
    }

    private static BenchResult result(Path file, int index, JsonElement element) throws BenchInputException {
        String where = "result " + index;
        if (!element.isJsonObject()) throw new BenchInputException(file, where + ": not a JSON object");
        JsonObject row = element.getAsJsonObject();
        String benchmark = string(file, where, row, "benchmark");
        where = where + " (" + benchmark + ")";
        if (benchmark.indexOf('.') < 0) {
            throw new BenchInputException(file, where + ": benchmark: expected Class.method, got '" + benchmark + "'");
        }
        String modeLabel = string(file, where, row, "mode");
        Mode mode;
        try {
            mode = Mode.deepValueOf(modeLabel);
        } catch (IllegalStateException e) {
            throw new BenchInputException(file, where + ": mode: unknown JMH mode '" + modeLabel + "'");
        }
        int threads = (int) number(file, where, row, "threads");
        TreeMap<String, String> params = new TreeMap<>();
        JsonElement p = row.get("params");
        if (p != null) {
            if (!p.isJsonObject()) throw new BenchInputException(file, where + ": params: expected an object");
            for (Map.Entry<String, JsonElement> e : p.getAsJsonObject().entrySet()) {
                if (!e.getValue().isJsonPrimitive()) {
                    throw new BenchInputException(file, where + ": params." + e.getKey() + ": expected a value");
                }
                params.put(e.getKey(), e.getValue().getAsString());
            }
        }
        JsonElement m = row.get("primaryMetric");
        if (m == null || !m.isJsonObject()) throw new BenchInputException(file, where + ": missing primaryMetric");
        JsonObject metric = m.getAsJsonObject();
        double score = number(file, where, metric, "primaryMetric.score", "score");
        double error = number(file, where, metric, "primaryMetric.scoreError", "scoreError");
        String unit = string(file, where, metric, "primaryMetric.scoreUnit", "scoreUnit");
        if (!Units.known(unit)) {
            throw new BenchInputException(file, where + ": primaryMetric.scoreUnit: not ops/<time> or <time>/op: '" + unit + "'");
        }
        if (!(score > 0) || Double.isInfinite(score)) {
            throw new BenchInputException(file, where + ": primaryMetric.score: expected a positive number, got " + score);
        }
        return new BenchResult(benchmark, mode, threads, params, score, error, unit);
    }

    private static String string(Path file, String where, JsonObject o, String field) throws BenchInputException {
        return string(file, where, o, field, field);
    }

    private static String string(Path file, String where, JsonObject o, String label, String field)
            throws BenchInputException {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new BenchInputException(file, where + ": " + label + ": missing or not a string");
        }
        return e.getAsString();
    }

    private static double number(Path file, String where, JsonObject o, String field) throws BenchInputException {
        return number(file, where, o, field, field);
    }

    // JMH writes NaN and infinities as strings ("NaN"); every other number is a JSON number.
    private static double number(Path file, String where, JsonObject o, String label, String field)
            throws BenchInputException {
        JsonElement e = o.get(field);
        if (e != null && e.isJsonPrimitive()) {
            var p = e.getAsJsonPrimitive();
            if (p.isNumber()) return p.getAsDouble();
            if (p.isString() && p.getAsString().equals("NaN")) return Double.NaN;
        }
        throw new BenchInputException(file, where + ": " + label + ": missing or not a number: " + e);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
