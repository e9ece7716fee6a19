package dev.bitnet.bench.regression;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;

/**
 * Reads the JSON file JMH writes with {@code -rf json} (or {@code ResultFormatType.JSON}): an
 * array of results, each with {@code benchmark}, {@code mode}, {@code threads}, optional
 * {@code params} and {@code primaryMetric.{score, scoreError, scoreUnit}}. Only those fields are
 * read; JMH writes {@code "NaN"} as a string when it has too few iterations for an error.
 */
public final class JmhResultsFile {

    private JmhResultsFile() {}

    /** The results in {@code file}, in file order. */
    public static List<BenchResult> read(Path file) throws BenchInputException {
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
        JsonArray rows = root.getAsJsonArray();
        List<BenchResult> results = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            results.add(result(file, i, rows.get(i)));
        }
        return List.copyOf(results);
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
