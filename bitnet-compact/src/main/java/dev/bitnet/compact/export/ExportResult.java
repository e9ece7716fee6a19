package dev.bitnet.compact.export;

import dev.bitnet.core.config.ModelConfig;

import java.nio.file.Path;

/**
 * What one export wrote.
 *
 * @param out             the {@code .bit2} file
 * @param config          the model's shape
 * @param step            the checkpoint's training step
 * @param checkpointBytes bytes of the checkpoint's parameter file ({@code params.bin}: float32 values)
 * @param modelBytes      bytes of the {@code .bit2} file
 * @param sha256          SHA-256 of the parameter file, hex, as recorded in the metadata
 * @param millis          time the export took (read, check, fold, write)
 */
public record ExportResult(Path out, ModelConfig config, int step, long checkpointBytes, long modelBytes,
                           String sha256, long millis) {

    /** {@code checkpointBytes / modelBytes}. */
    public double ratio() {
        return (double) checkpointBytes / modelBytes;
    }
}
