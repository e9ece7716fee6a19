package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * {@code generate}: continues a prompt, streaming the text to stdout and the speed to stderr.
 * When stdout stops taking text (a reader such as {@code head} went away) it stops generating
 * and fails with exit code 1.
 */
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
                usage: bitnet generate [--model FILE] (--prompt TEXT | --prompt-file FILE) [options]

                Continues TEXT and prints the new text to stdout as it is decoded, then the prompt
                and generation speed (tokens/s) to stderr.

                """ + CliSupport.MODEL_HELP + """
                  --prompt TEXT            the text to continue (must not be empty)
                  --prompt-file FILE       the text to continue, from a UTF-8 file; - reads stdin
                """ + CliSupport.SAMPLING_HELP.formatted(DEFAULT_MAX_TOKENS) + """
                  --json                   print one JSON object (text, token counts, tokens/s, load time) instead
                """;
    }

    @Override
    public Set<String> valued() {
        return CliSupport.union(CliSupport.MODEL_OPTIONS, CliSupport.SAMPLING_OPTIONS, Set.of("prompt", "prompt-file"));
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        PrintStream out = io.out();
        String prompt = prompt(a, io);
        GenerationOptions options = CliSupport.generation(a, DEFAULT_MAX_TOKENS);
        boolean json = a.has("json");
        try (BitNetModel model = CliSupport.load(a); Session session = model.newSession()) {
            GenerationListener listener = json ? GenerationListener.NONE : piece -> {
                out.print(piece);
                out.flush();
                if (out.checkError()) {
                    session.cancel(); // nobody reads the rest
                }
            };
            GenerationResult r = session.generate(prompt, options, listener);
            CliSupport.checkOutput(out);
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
                io.err().printf(Locale.ROOT, "prompt: %d tokens, %.1f tokens/s | generation: %d tokens, %.1f tokens/s"
                                + " | stop: %s | load %.1f ms | %d threads, %s kernels%n",
                        r.promptTokens(), r.promptTokensPerSecond(), r.generatedTokens(), r.generationTokensPerSecond(),
                        r.stopReason().name().toLowerCase(Locale.ROOT), model.loadTime().toNanos() / 1e6,
                        session.threads(), model.kernelsName());
            }
        }
        return 0;
    }

    /** The prompt: {@code --prompt TEXT} or {@code --prompt-file FILE} (which has no argv size limit). */
    private static String prompt(Args a, Io io) throws UsageException {
        String text = a.get("prompt");
        String file = a.get("prompt-file");
        if (text != null && file != null) {
            throw new UsageException("give either --prompt or --prompt-file, not both");
        }
        if (text == null && file == null) {
            throw new UsageException("--prompt TEXT or --prompt-file FILE is required");
        }
        if (file != null) {
            return CliSupport.readText(file, "--prompt-file", io.in());
        }
        if (text.isEmpty()) {
            throw new UsageException("--prompt must not be empty");
        }
        return text;
    }
}
