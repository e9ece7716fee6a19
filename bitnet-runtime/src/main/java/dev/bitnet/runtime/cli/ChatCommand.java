package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.bitnet.runtime.StopReason;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.util.Set;

/**
 * {@code chat}: an interactive loop on stdin/stdout. Each line is one user turn; the whole
 * conversation stays in the session, so later answers see earlier turns (within the window).
 */
final class ChatCommand implements Command {

    private static final int DEFAULT_MAX_TOKENS = 200;
    /** How a user turn is written into the conversation ({@link ChatTemplate}); the model answers after "Assistant:". */
    static final String TURN = ChatTemplate.USER + "%s" + ChatTemplate.ASSISTANT;
    /** A user turn after an answer that already wrote {@link ChatTemplate#END_OF_ANSWER} into the conversation. */
    static final String CONTINUED_TURN = " %s" + ChatTemplate.ASSISTANT;

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "interactive multi-turn chat on stdin/stdout";
    }

    @Override
    public String help() {
        return """
                usage: bitnet chat [--model FILE] [options]

                Reads one message per line from stdin and streams the answer to stdout. The
                conversation is kept between turns. Commands: /reset forgets the conversation,
                /exit (or end of input) quits. Each turn is written as "User: ...\\nAssistant:";
                an answer ends at end-of-text, at "\\nUser:", or after --max-tokens tokens.

                """ + CliSupport.MODEL_HELP + CliSupport.SAMPLING_HELP.formatted(DEFAULT_MAX_TOKENS);
    }

    @Override
    public Set<String> valued() {
        return CliSupport.union(CliSupport.MODEL_OPTIONS, CliSupport.SAMPLING_OPTIONS);
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args a, BufferedReader in, PrintStream out, PrintStream err) throws Exception {
        GenerationOptions given = CliSupport.generation(a, DEFAULT_MAX_TOKENS);
        GenerationOptions options = ChatTemplate.options(given);
        try (BitNetModel model = CliSupport.load(a); Session session = model.newSession()) {
            err.println("chat with " + model.path().getFileName() + " (" + model.config().parameterCount()
                    + " parameters); /reset forgets the conversation, /exit quits");
            // Only our own stop string can end an answer when the user gave none: then the
            // conversation already holds "\nUser:" and the next turn must not repeat it.
            boolean tagWritten = false;
            String line;
            while (true) {
                err.print("> ");
                err.flush();
                line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.strip().equals("/reset")) {
                    session.reset();
                    tagWritten = false;
                    err.println("(conversation reset)");
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                String turn = (tagWritten ? CONTINUED_TURN : TURN).formatted(line.strip());
                GenerationResult r = session.generate(turn, options, piece -> {
                    out.print(piece);
                    out.flush();
                });
                tagWritten = r.stopReason() == StopReason.STOP_STRING && given.stopStrings().isEmpty();
                out.println();
                out.flush();
            }
        }
        return 0;
    }
}
