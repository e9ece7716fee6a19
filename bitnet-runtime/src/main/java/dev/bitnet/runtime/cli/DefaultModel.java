package dev.bitnet.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code generate} and {@code chat} find a model when {@code --model} is not given: the
 * file named by the system property {@value #PROPERTY}. The {@code bitnet} launcher sets it to
 * the model committed with the project ({@code models/default.bit2}), so a fresh checkout
 * can generate text at once; an application embedding the CLI can point it elsewhere.
 */
final class DefaultModel {

    /** The system property naming the default model file. */
    static final String PROPERTY = "bitnet.default.model";

    private DefaultModel() {
    }

    /** The default model file, if the property names one. */
    static Optional<Path> find() {
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
    }

    /** The message when no model is given and there is no default. */
    static String missing() {
        return "no model given; pass --model FILE (the launcher's default model is set with -D" + PROPERTY + "=FILE)";
    }

    /** The message when the default model is named but the file is not there. */
    static String notFound(Path p) {
        return "no model given, and the default model " + p + " does not exist; pass --model FILE";
    }
}
