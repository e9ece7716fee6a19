package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/** {@code generate}: continues a prompt, streaming the text to stdout and the speed to stderr. */
final class GenerateCommand implements Command {

    private static final int DEFAULT_MAX_TOKENS = 256;

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "continue a prompt, streaming the text";
    }

    @Override
    public String help() {
        return """
                usage: bitnet generate [--model FILE] --prompt TEXT [options]

                Continues TEXT and prints the new text to stdout as it is decoded, then the prompt
                and generation speed (tokens/s) to stderr.

                """ + CliSupport.MODEL_HELP + """
                  --prompt TEXT            the text to continue (must not be empty)
                """ + CliSupport.SAMPLING_HELP.formatted(DEFAULT_MAX_TOKENS) + """
                  --json                   print one JSON object (text, token counts, tokens/s, load time) instead
                """;
    }

    @Override
    public Set<String> valued() {
        return CliSupport.union(CliSupport.MODEL_OPTIONS, CliSupport.SAMPLING_OPTIONS, Set.of("prompt"));
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Args a, BufferedReader in, PrintStream out, PrintStream err) throws Exception {
        String prompt = a.get("prompt");
        if (prompt == null) {
            throw new UsageException("--prompt TEXT is required");
        }
        if (prompt.isEmpty()) {
            throw new UsageException("--prompt must not be empty");
        }
        GenerationOptions options = CliSupport.generation(a, DEFAULT_MAX_TOKENS);
        boolean json = a.has("json");
        try (BitNetModel model = CliSupport.load(a); Session session = model.newSession()) {
            GenerationListener listener = json ? GenerationListener.NONE : piece -> {
                out.print(piece);
                out.flush();
            };
            GenerationResult r = session.generate(prompt, options, listener);
            if (json) {
                out.println(new Json()
                        .add("text", r.text())
                        .add("prompt_tokens", r.promptTokens())
                        .add("generated_tokens", r.generatedTokens())
                        .add("stop_reason", r.stopReason().name().toLowerCase(Locale.ROOT))
                        .add("prompt_tokens_per_second", r.promptTokensPerSecond())
                        .add("generation_tokens_per_second", r.generationTokensPerSecond())
                        .add("load_ms", model.loadTime().toNanos() / 1e6)
                        .add("threads", session.threads())
                        .add("kernels", model.kernelsName()));
            } else {
                out.println();
                out.flush();
                err.printf(Locale.ROOT, "prompt: %d tokens, %.1f tokens/s | generation: %d tokens, %.1f tokens/s"
                                + " | stop: %s | load %.1f ms | %d threads, %s kernels%n",
                        r.promptTokens(), r.promptTokensPerSecond(), r.generatedTokens(), r.generationTokensPerSecond(),
                        r.stopReason().name().toLowerCase(Locale.ROOT), model.loadTime().toNanos() / 1e6,
                        session.threads(), model.kernelsName());
            }
        }
        return 0;
    }
}
