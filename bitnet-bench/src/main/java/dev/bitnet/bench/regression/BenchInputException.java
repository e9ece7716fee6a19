package dev.bitnet.bench.regression;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A results or baseline file that cannot be judged: missing, unreadable, not JSON, or not in
 * JMH's result schema. The message names the file, the result and the field.
 */
public final class BenchInputException extends IOException {

    /** A problem with {@code file}. */
    public BenchInputException(Path file, String problem) {
        this(file, problem, null);
    }

    /** A problem with {@code file}, caused by {@code cause}. */
    public BenchInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
