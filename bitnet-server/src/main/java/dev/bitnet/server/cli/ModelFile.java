package dev.bitnet.server.cli;

import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.runtime.BitNetModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --model} of the server commands: the file given, else the launcher's default model
 * (the system property {@value #DEFAULT_PROPERTY}, which {@code ./bitnet} sets to
 * {@code models/default.bit2}), as for {@code bitnet generate}.
 */
final class ModelFile {

    static final String DEFAULT_PROPERTY = "bitnet.default.model";

    private ModelFile() {
    }

    /** Loads the model; a missing or damaged file is a usage error naming it. */
    static BitNetModel load(Path given, CommandSpec spec) {
        Path file = given;
        if (file == null) {
            String p = System.getProperty(DEFAULT_PROPERTY);
            if (p == null || p.isBlank()) {
                throw new ParameterException(spec.commandLine(), "no model given; pass --model FILE");
            }
            file = Path.of(p);
            if (!Files.exists(file)) {
                throw new ParameterException(spec.commandLine(), "no model given, and the default model " + file
                        + " does not exist; pass --model FILE");
            }
        }
        try {
            return BitNetModel.load(file);
        } catch (Bit2FormatException e) {
            throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
        }
    }
}
