package dev.bitnet.compact.export;

/**
 * Input the exporter cannot turn into a model: a missing or foreign directory, an unsupported
 * checkpoint, a float-ablation model, a missing, extra or mis-shaped tensor, a non-finite value.
 * The message names the file or tensor and the problem; the command line prints it and exits
 * with status 2.
 */
public final class ExportException extends RuntimeException {

    /** An error whose message names the file or tensor and the problem. */
    public ExportException(String message) {
        super(message);
    }

    /** The same, keeping the lower-level cause. */
    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
