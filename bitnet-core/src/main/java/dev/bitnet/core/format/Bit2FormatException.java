package dev.bitnet.core.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one exception reading or writing a {@code .bit2} file raises. The message names the file,
 * the section (header, config, tokenizer, metadata, directory, tensor NAME, ...) and what is wrong.
 */
public final class Bit2FormatException extends IOException {

    private final Path file;
    private final String section;

    /** A problem in {@code section} of {@code file}. */
    public Bit2FormatException(Path file, String section, String problem) {
        this(file, section, problem, null);
    }

    /** A problem in {@code section} of {@code file}, caused by {@code cause}. */
    public Bit2FormatException(Path file, String section, String problem, Throwable cause) {
        super(file + ": " + section + ": " + problem, cause);
        this.file = file;
        this.section = section;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }

    /** The section of the file where the problem is. */
    public String section() {
        return section;
    }
}
