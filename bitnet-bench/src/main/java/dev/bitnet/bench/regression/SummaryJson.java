package dev.bitnet.bench.regression;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.bitnet.bench.regression.Report.AbsoluteChange;
import dev.bitnet.bench.regression.Report.RatioVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SortedMap;

/**
 * The small JSON file written next to JMH's results so scripts need not scrape the table:
 * threshold, regression count, every ratio with its baseline and verdict, every absolute score.
 * Numbers that do not exist (no baseline, no error estimate) are {@code null}. Schema in
 * docs/benchmarks.md.
 */
public final class SummaryJson {

    private SummaryJson() {}

    /** The summary of {@code report} for the JMH results {@code results} and the optional {@code baseline} file. */
    public static JsonObject of(Report report, Path results, Path baseline) {
        JsonObject root = new JsonObject();
        root.addProperty("results", results.toString());
        root.add("baseline", baseline == null ? JsonNull.INSTANCE : new JsonPrimitive(baseline.toString()));
        root.addProperty("threshold", report.threshold());
        root.addProperty("regressions", report.regressions().size());
        root.add("otherCpu", report.otherCpu() == null ? JsonNull.INSTANCE : new JsonPrimitive(report.otherCpu()));
        JsonArray ratios = new JsonArray();
        for (RatioVerdict v : report.ratios()) {
            Ratio r = v.ratio();
            JsonObject o = new JsonObject();
            o.addProperty("kind", r.kind().label());
            o.addProperty("name", r.name());
            o.add("params", params(r.params()));
            o.addProperty("mode", r.numerator().mode().shortLabel());
            o.addProperty("threads", r.numerator().threads());
            o.addProperty("numerator", r.numerator().benchmark());
            o.addProperty("denominator", r.denominator().benchmark());
            number(o, "ratio", r.value());
            number(o, "ratioError", r.error());
            number(o, "baselineRatio", v.baseline());
            number(o, "change", v.change());
            o.addProperty("verdict", v.verdict().word());
            o.addProperty("noisy", v.noisy());
            ratios.add(o);
        }
        root.add("ratios", ratios);
        JsonArray absolutes = new JsonArray();
        for (AbsoluteChange a : report.absolutes()) {
            BenchResult r = a.result();
            JsonObject o = identity(r);
            o.addProperty("threads", r.threads());
            number(o, "score", r.score());
            number(o, "scoreError", r.error());
            o.addProperty("unit", r.unit());
            number(o, "opsPerSecond", r.opsPerSecond());
            number(o, "baselineOpsPerSecond", a.baseline() == null ? Double.NaN : a.baseline().opsPerSecond());
            number(o, "change", a.change());
            o.addProperty("verdict", a.verdict().absoluteWord());
            absolutes.add(o);
        }
        root.add("absolute", absolutes);
        root.add("roofline", roofline(report.roofline()));
        root.add("unpaired", strings(report.unpaired()));
        root.add("notRun", strings(report.notRun()));
        return root;
    }

    /** Writes {@code summary} to {@code file} whole or not at all (temporary file, then a move). */
    public static void write(JsonObject summary, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(summary) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // null without a roofline in the run
    private static JsonElement roofline(RooflineFractions f) {
        if (f.roofline() == null) return JsonNull.INSTANCE;
        JsonObject o = new JsonObject();
        number(o, "popcountBitsPerSecond", f.roofline().popcountBitsPerSecond());
        number(o, "memoryBytesPerSecond", f.roofline().memoryBytesPerSecond());
        JsonArray rows = new JsonArray();
        for (RooflineFractions.Row row : f.rows()) {
            JsonObject e = identity(row.result());
            if (row.keys() > 0) e.addProperty("keys", row.keys());
            number(e, "tokensPerSecond", row.tokensPerSecond());
            number(e, "popcountBoundTokensPerSecond", row.popcountBound());
            number(e, "popcountFraction", row.popcountFraction());
            number(e, "memoryBoundTokensPerSecond", row.memoryBound());
            number(e, "memoryFraction", row.memoryFraction());
            rows.add(e);
        }
        o.add("rows", rows);
        return o;
    }

    // The first fields of every entry about one result: benchmark, params, mode.
    private static JsonObject identity(BenchResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("benchmark", r.benchmark());
        o.add("params", params(r.params()));
        o.addProperty("mode", r.mode().shortLabel());
        return o;
    }

    private static JsonObject params(SortedMap<String, String> params) {
        JsonObject o = new JsonObject();
        params.forEach(o::addProperty);
        return o;
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    private static void number(JsonObject o, String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) o.add(name, JsonNull.INSTANCE);
        else o.addProperty(name, value);
    }
}
