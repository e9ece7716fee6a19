package dev.bitnet.compact.cli;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.train.cli.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code random}: writes a seeded random-weight model of a preset (see {@link RandomModel}). */
@Command(name = "random", mixinStandardHelpOptions = true,
        description = "Writes a seeded random-weight .bit2 model of a preset (for tests and benchmarks).")
final class RandomCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "Model preset: ${COMPLETION-CANDIDATES}.", completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .bit2 file to write.")
    Path out;

    /** The preset names for the help text. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelConfig.presetNames().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        ModelConfig config;
        try {
            config = ModelConfig.preset(preset);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--preset: " + e.getMessage(), e);
        }
        Path target = out.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new BadInputException("--out: " + out + " is a directory");
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new BadInputException("--out: directory " + target.getParent() + " does not exist");
        }
        RandomModel.write(config, Exporter.tokenizer(config.tokenizer()), seed, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %,d bytes, preset %s, %,d parameters, tokenizer %s, seed %d%n",
                out, Files.size(out), preset, config.parameterCount(), config.tokenizer(), seed);
        return 0;
    }
}
