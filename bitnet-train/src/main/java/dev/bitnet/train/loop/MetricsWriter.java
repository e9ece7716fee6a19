package dev.bitnet.train.loop;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends one JSON object per line to {@code metrics.jsonl} in the run directory. Training lines
 * carry {@code step, tokens, loss, lr, tau, grad_norm, tokens_per_s, rss_mb, elapsed_s};
 * evaluation lines carry {@code step, tokens, val_loss, val_bits_per_token, val_bits_per_byte,
 * flip_embedding, layers, elapsed_s} ({@code layers}: an array of per-layer statistics, see
 * {@link EvalDiagnostics}); a skipped update carries {@code step, skipped} (the reason). {@code step} is the
 * number of updates done when the line was written.
 */
public final class MetricsWriter implements AutoCloseable {

    /** File name inside the run directory. */
    public static final String FILE = "metrics.jsonl";

    private final BufferedWriter out;

    /**
     * Opens the file for appending. When resuming from {@code resumeStep}, lines of later steps
     * (written after that checkpoint by an interrupted run) are dropped first, so the file
     * describes one consistent history.
     */
    public MetricsWriter(Path runDir, int resumeStep) throws IOException {
        Files.createDirectories(runDir);
        Path file = runDir.resolve(FILE);
        if (Files.exists(file)) {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && stepOf(line) <= resumeStep) {
                    kept.add(line);
                }
            }
            Files.write(file, kept, StandardCharsets.UTF_8);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static long stepOf(String line) {
        try {
            return JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE; // a torn last line of a killed run
        }
    }

    /** Writes one line and flushes it (a crash loses at most the line being written). */
    public void write(JsonObject line) {
        try {
            out.write(line.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
