package dev.bitnet.runtime.cli;

import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.Session;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * {@code eval}: bits per token and bits per byte of a UTF-8 text file, as MODEL.md defines them
 * ({@code sum CE / ln 2} over the scored tokens, divided by their count or by their UTF-8 bytes).
 * With an end-of-text token the text is scored after it, so every token counts; without one
 * (the bytes tokenizer) the first token has no context and is not scored.
 */
final class EvalCommand implements Command {

    /** Tokens per call into the session: the progress granularity. */
    private static final int PIECE = 4096;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "bits per token and per byte of a text file";
    }

    @Override
    public String help() {
        return """
                usage: bitnet eval [--model FILE] --data TEXTFILE [options]

                Scores a UTF-8 text file with the model and prints bits/token and bits/byte
                (progress goes to stderr). Texts longer than the attention window are scored with
                the sliding window, in one pass.

                """ + CliSupport.MODEL_HELP + """
                  --data FILE              the UTF-8 text to score
                  --json                   print one JSON object instead of text
                """;
    }

    @Override
    public Set<String> valued() {
        return CliSupport.union(CliSupport.MODEL_OPTIONS, Set.of("data"));
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        PrintStream out = io.out();
        String data = a.get("data");
        if (data == null) {
            throw new UsageException("--data FILE is required");
        }
        String text = CliSupport.readText(data, "--data", io.in());
        try (BitNetModel model = CliSupport.load(a); Session session = model.newSession()) {
            Tokenizer tok = model.tokenizer();
            int[] tokens = tok.encode(text);
            int first = 0;
            if (tok.endOfText().isPresent()) {
                session.logits(new int[] {tok.endOfText().getAsInt()});
            } else {
                first = 1; // nothing predicts the first token
            }
            if (tokens.length <= first) {
                throw new UsageException("data file " + data + " is too short to score (" + tokens.length + " tokens)");
            }
            ProgressLine progress = new ProgressLine(io.err(), io.errIsTerminal());
            long t0 = System.nanoTime();
            double nats = 0;
            long bytes = 0;
            for (int start = 0; start < tokens.length; start += PIECE) {
                int end = Math.min(tokens.length, start + PIECE);
                double[] lp = session.logProbs(Arrays.copyOfRange(tokens, start, end));
                for (int i = 0; i < lp.length; i++) {
                    if (start + i >= first) {
                        nats -= lp[i];
                        bytes += tok.tokenBytes(tokens[start + i]).length;
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                progress.show(String.format(Locale.ROOT, "eval: %d/%d tokens, %.3f bits/token so far, %.0f tokens/s",
                        end, tokens.length, nats / Math.log(2) / (end - first), end / secs));
            }
            progress.end();
            long scored = tokens.length - first;
            double bitsPerToken = nats / Math.log(2) / scored;
            double bitsPerByte = nats / Math.log(2) / bytes;
            double secs = (System.nanoTime() - t0) / 1e9;
            if (a.has("json")) {
                out.println(new Json()
                        .add("data", data)
                        .add("tokens", scored)
                        .add("bytes", bytes)
                        .add("bits_per_token", bitsPerToken)
                        .add("bits_per_byte", bitsPerByte)
                        .add("tokens_per_second", scored / secs));
            } else {
                out.printf(Locale.ROOT, "%s: %d tokens, %d bytes: %.4f bits/token, %.4f bits/byte%n",
                        data, scored, bytes, bitsPerToken, bitsPerByte);
            }
        }
        return 0;
    }
}
