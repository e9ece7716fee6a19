package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.ModelOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What several commands share: the model options and the sampling options. */
final class CliSupport {

    /** Options of every command that loads a model. */
    static final Set<String> MODEL_OPTIONS = Set.of("model", "threads", "window", "max-session-mb");
    /** Sampling options of generate and chat. */
    static final Set<String> SAMPLING_OPTIONS = Set.of("max-tokens", "temperature", "top-k", "top-p",
            "repetition-penalty", "seed", "stop");

    static final String MODEL_HELP = """
              --model FILE             the .bit2 model file (default: the launcher's bundled model,
                                       models/default-tiny.bit2)
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

    /** Union of option name sets. */
    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
