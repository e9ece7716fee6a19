package dev.bitnet.train.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The curves of a run as read from its {@code metrics.jsonl}: the training loss of every update
 * (in bits per token) and the validation bits per byte of every evaluation, each against the
 * training tokens consumed. Skipped updates and non-finite values are left out.
 *
 * @param training   {@code (tokens, loss / ln 2)} per update, in file order
 * @param validation {@code (tokens, val_bits_per_byte)} per evaluation, in file order
 */
public record MetricsHistory(List<Point> training, List<Point> validation) {

    private static final double LN2 = Math.log(2);

    /** One point of a curve: {@code value} after {@code tokens} training tokens. */
    public record Point(long tokens, double value) {
    }

    public MetricsHistory {
        training = List.copyOf(training);
        validation = List.copyOf(validation);
    }

    /** Whether there is nothing to draw. */
    public boolean isEmpty() {
        return training.isEmpty() && validation.isEmpty();
    }

    /**
     * Reads a {@code metrics.jsonl}; a missing file is an empty history. Lines that are not JSON
     * objects with {@code tokens} (the torn last line of a killed run) are skipped.
     */
    public static MetricsHistory read(Path file) throws IOException {
        List<Point> training = new ArrayList<>();
        List<Point> validation = new ArrayList<>();
        if (!Files.exists(file)) {
            return new MetricsHistory(training, validation);
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonObject o = object(line);
            if (o == null || !isNumber(o, "tokens")) {
                continue;
            }
            long tokens = o.get("tokens").getAsLong();
            if (isNumber(o, "loss") && Double.isFinite(o.get("loss").getAsDouble())) {
                training.add(new Point(tokens, o.get("loss").getAsDouble() / LN2));
            }
            if (isNumber(o, "val_bits_per_byte") && Double.isFinite(o.get("val_bits_per_byte").getAsDouble())) {
                validation.add(new Point(tokens, o.get("val_bits_per_byte").getAsDouble()));
            }
        }
        return new MetricsHistory(training, validation);
    }

    private static JsonObject object(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(line);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (RuntimeException torn) {
            return null;
        }
    }

    private static boolean isNumber(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }
}
