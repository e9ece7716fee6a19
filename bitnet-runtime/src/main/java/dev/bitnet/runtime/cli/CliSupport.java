package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.ModelOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** What several commands share: the model and sampling options, reading text, checking stdout. */
final class CliSupport {

    /** The failure when stdout stopped taking output (a reader that went away, a full disk). */
    static final String OUTPUT_FAILED = "cannot write to standard output (a closed pipe or a full disk); stopped";

    /** Options of every command that loads a model. */
    static final Set<String> MODEL_OPTIONS = Set.of("model", "threads", "window", "max-session-mb");
    /** Sampling options of generate and chat. */
    static final Set<String> SAMPLING_OPTIONS = Set.of("max-tokens", "temperature", "top-k", "top-p",
            "repetition-penalty", "seed", "stop");

    static final String MODEL_HELP = """
              --model FILE             the .bit2 model file (default: the launcher's bundled model,
                                       models/default.bit2)
              --threads N              threads per session (default: available processors)
              --window N               attention window in tokens (default: the trained context)
              --max-session-mb N       memory a session may need, in MiB (default 256); a model or
                                       window that needs more is refused at load
            """;

    static final String SAMPLING_HELP = """
              --max-tokens N           new tokens at most (default %d)
              --temperature T          0 = greedy (default 0.8)
              --top-k K                sample among the K most likely tokens, 0 = off (default 40)
              --top-p P                nucleus sampling in (0, 1], 1 = off (default 0.95)
              --repetition-penalty R   > 1 discourages repeating the last 64 tokens (default 1 = off)
              --seed S                 makes sampling reproducible
              --stop TEXT              stop when the output reaches TEXT (repeatable)
            """;

    private CliSupport() {
    }

    /** The model file: --model, else the default model, else a usage error. */
    static Path modelPath(Args a) throws UsageException {
        String m = a.get("model");
        if (m != null) {
            Path p = Path.of(m);
            if (!Files.isRegularFile(p)) {
                throw new UsageException("model file " + p + " does not exist or is not a file");
            }
            return p;
        }
        Path p = DefaultModel.find().orElseThrow(() -> new UsageException(DefaultModel.missing()));
        if (!Files.isRegularFile(p)) {
            throw new UsageException(DefaultModel.notFound(p));
        }
        return p;
    }

    static BitNetModel load(Args a) throws Exception {
        Path p = modelPath(a);
        ModelOptions.Builder o = ModelOptions.builder();
        if (a.has("threads")) {
            o.threads(a.intValue("threads", 0));
        }
        if (a.has("window")) {
            o.attentionWindow(a.intValue("window", 0));
        }
        if (a.has("max-session-mb")) {
            long mb = a.longValue("max-session-mb");
            if (mb < 1 || mb > Long.MAX_VALUE >> 20) {
                throw new UsageException("--max-session-mb must be in [1, " + (Long.MAX_VALUE >> 20) + "], got " + mb);
            }
            o.maxSessionBytes(mb << 20);
        }
        return BitNetModel.load(p, o.build());
    }

    static GenerationOptions generation(Args a, int defaultMaxTokens) throws UsageException {
        GenerationOptions.Builder b = GenerationOptions.builder();
        b.maxTokens(a.intValue("max-tokens", defaultMaxTokens));
        if (a.has("temperature")) {
            b.temperature(a.floatValue("temperature", 0));
        }
        if (a.has("top-k")) {
            b.topK(a.intValue("top-k", 0));
        }
        if (a.has("top-p")) {
            b.topP(a.floatValue("top-p", 1));
        }
        if (a.has("repetition-penalty")) {
            b.repetitionPenalty(a.floatValue("repetition-penalty", 1));
        }
        if (a.has("seed")) {
            b.seed(a.longValue("seed"));
        }
        b.stopStrings(a.all("stop"));
        return b.build();
    }

    /** Throws {@link CommandFailure} when writing to {@code out} has failed. */
    static void checkOutput(PrintStream out) throws CommandFailure {
        if (out.checkError()) {
            throw new CommandFailure(OUTPUT_FAILED);
        }
    }

    /**
     * The UTF-8 text of {@code file}, or of {@code stdin} when {@code file} is {@code -}; errors
     * name the option ({@code what}, e.g. "--data") and the file.
     *
     * @throws UsageException when the text is missing, empty or not UTF-8
     */
    static String readText(String file, String what, InputStream stdin) throws UsageException {
        String name = file.equals("-") ? "standard input" : "file " + file;
        byte[] b;
        try {
            b = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException(what + ": " + name + " does not exist");
        } catch (IOException e) {
            throw new UsageException(what + ": cannot read " + name + ": " + e.getMessage());
        }
        if (b.length == 0) {
            throw new UsageException(what + ": " + name + " is empty");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(what + ": " + name + " is not valid UTF-8");
        }
    }

    /** Union of option name sets. */
    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
