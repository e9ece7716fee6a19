package dev.bitnet.runtime.cli;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.bitnet.runtime.StopReason;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code chat}: an interactive loop on stdin/stdout. Each line is one user turn; the whole
 * conversation stays in the session, so later answers see earlier turns (within the window).
 * On a terminal the line is read with the JDK's line editing and history, and Ctrl-C stops the
 * answer being written; the chat ends at {@code /exit} or the end of the input.
 */
final class ChatCommand implements Command {

    private static final int DEFAULT_MAX_TOKENS = 200;
    /** How a user turn is written into the conversation ({@link ChatTemplate}); the model answers after "Assistant:". */
    static final String TURN = ChatTemplate.USER + "%s" + ChatTemplate.ASSISTANT;
    /** A user turn after an answer that already wrote {@link ChatTemplate#END_OF_ANSWER} into the conversation. */
    static final String CONTINUED_TURN = " %s" + ChatTemplate.ASSISTANT;
    /** What {@code /help} prints. */
    static final String COMMANDS = """
            /help    this list
            /reset   forget the conversation
            /exit    quit (so do Ctrl-D and the end of the input)
            Ctrl-C   stop the answer being written (at the prompt: drop the line)
            Up/Down  earlier lines (on a terminal; Left/Right and the usual keys edit the line)""";

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
                conversation is kept between turns. Each turn is written as "User: ...\\nAssistant:";
                an answer ends at end-of-text, at "\\nUser:", or after --max-tokens tokens.

                """ + COMMANDS.indent(2) + "\n" + CliSupport.MODEL_HELP
                + CliSupport.SAMPLING_HELP.formatted(DEFAULT_MAX_TOKENS);
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
    public int run(Args a, Io io) throws Exception {
        PrintStream out = io.out();
        PrintStream err = io.err();
        GenerationOptions given = CliSupport.generation(a, DEFAULT_MAX_TOKENS);
        GenerationOptions options = ChatTemplate.options(given);
        Lines lines = io.console() != null ? new ConsoleLines(io.console(), err)
                : new StreamLines(new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)), err);
        try (BitNetModel model = CliSupport.load(a); Session session = model.newSession()) {
            err.println("chat with " + model.path().getFileName() + " (" + model.config().parameterCount()
                    + " parameters); /help lists the commands, /exit quits");
            // Only our own stop string can end an answer when the user gave none: then the
            // conversation already holds "\nUser:" and the next turn must not repeat it.
            boolean tagWritten = false;
            String line;
            while ((line = lines.next()) != null) {
                String command = line.strip();
                if (command.equals("/exit")) {
                    break;
                } else if (command.equals("/help")) {
                    err.println(COMMANDS);
                } else if (command.equals("/reset")) {
                    session.reset();
                    tagWritten = false;
                    err.println("(conversation reset)");
                } else if (command.matches("/[a-z]+")) {
                    err.println("(no command " + command + "; /help lists the commands)");
                } else if (!line.isBlank()) {
                    String turn = (tagWritten ? CONTINUED_TURN : TURN).formatted(command);
                    GenerationResult r = answer(session, turn, options, io);
                    tagWritten = r.stopReason() == StopReason.STOP_STRING && given.stopStrings().isEmpty();
                    out.println();
                    out.flush();
                    CliSupport.checkOutput(out);
                    if (r.stopReason() == StopReason.CANCELLED) {
                        err.println("(stopped)");
                    }
                }
            }
        }
        return 0;
    }

    /** Streams the answer to stdout; Ctrl-C (or stdout failing) stops it. */
    private static GenerationResult answer(Session session, String turn, GenerationOptions options, Io io) {
        PrintStream out = io.out();
        if (io.ctrlC() == null) {
            return session.generate(turn, options, piece -> print(out, piece, session));
        }
        return io.ctrlC().during(session::cancel, () -> session.generate(turn, options, piece -> print(out, piece, session)));
    }

    private static void print(PrintStream out, String piece, Session session) {
        out.print(piece);
        out.flush();
        if (out.checkError()) {
            session.cancel();
        }
    }

    /** The user's lines. */
    private interface Lines {
        /** The next line, or null at the end of the input. */
        String next() throws IOException;
    }

    /** Lines from stdin, with a prompt on stderr. */
    private record StreamLines(BufferedReader in, PrintStream err) implements Lines {
        @Override
        public String next() throws IOException {
            err.print("> ");
            err.flush();
            return in.readLine();
        }
    }

    /**
     * Lines from the terminal. With {@code -Djdk.console=jdk.internal.le} (which {@link RuntimeCli#main}
     * sets) the JDK reads them with JLine: editing keys and history.
     */
    private record ConsoleLines(Console console, PrintStream err) implements Lines {
        @Override
        public String next() {
            while (true) {
                try {
                    return console.readLine("> ");
                } catch (RuntimeException e) {
                    // JLine reports Ctrl-C at the prompt as its UserInterruptException, a class
                    // of the JDK's internal jdk.internal.le module: drop the line, ask again.
                    if (!e.getClass().getSimpleName().equals("UserInterruptException")) {
                        throw e;
                    }
                    err.println("(Ctrl-C stops an answer; /exit or Ctrl-D quits)");
                }
            }
        }
    }
}
