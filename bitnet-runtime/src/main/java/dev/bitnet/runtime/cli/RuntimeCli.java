package dev.bitnet.runtime.cli;

import dev.bitnet.core.Version;
import dev.bitnet.core.format.Bit2FormatException;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The runtime's command line: {@code generate}, {@code chat}, {@code eval} and {@code info}.
 * {@code args[0]} is the command; {@code --help} after any command explains it, {@code --version}
 * prints the version. Every problem is one line on stderr, {@code bitnet COMMAND: message}, and
 * no stack trace. Exit codes: 0 done; 2 bad input (missing or damaged model, empty prompt,
 * invalid sampling values, ...); 1 a failure (stdout closed or full, an unexpected error); 130
 * Ctrl-C (in {@code chat} it stops the answer instead).
 */
public final class RuntimeCli {

    /** Exit code for bad input. */
    public static final int USAGE = 2;
    /** Exit code for a failure that is not the input's fault. */
    public static final int FAILURE = 1;

    private static final List<Command> COMMANDS = List.of(new GenerateCommand(), new ChatCommand(),
            new EvalCommand(), new InfoCommand());

    private RuntimeCli() {
    }

    /** Runs a command on the process's own streams and terminal, and exits with its code. */
    public static void main(String[] args) {
        boolean chat = args.length > 0 && args[0].equals("chat");
        if (chat && System.getProperty("jdk.console") == null) {
            // The JDK's JLine-based console: line editing and history at chat's prompt, no dependency.
            System.setProperty("jdk.console", "jdk.internal.le");
        }
        // Without a stdin of its own the process must see end of input, not the JDK's class archive.
        InputStream in = StandardStreams.stdinIsTheJdksOwnFile() ? InputStream.nullInputStream() : System.in;
        Console console = chat ? System.console() : null;
        Io io = new Io(in, System.out, System.err, console != null && console.isTerminal() ? console : null,
                StandardStreams.isTerminal(2), chat ? CtrlC.install().orElse(null) : null);
        int code = run(args, io);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs a command with the given streams (no terminal: no line editing, progress as plain
     * lines) and returns the exit code: 0 for success, 2 for bad input, 1 for a failure.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, Io.of(in, out, err));
    }

    static int run(String[] args, Io io) {
        PrintStream out = io.out();
        PrintStream err = io.err();
        if (args.length == 0) {
            err.print(usage());
            return USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        if (args[0].equals("--version")) {
            out.println(Version.line());
            return 0;
        }
        Command cmd = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("bitnet: unknown command '" + args[0] + "' (the commands are "
                    + COMMANDS.stream().map(Command::name).collect(Collectors.joining(", ")) + ")");
            return USAGE;
        }
        String prefix = "bitnet " + cmd.name() + ": ";
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help")) {
            out.print(cmd.help());
            return 0;
        }
        if (rest.contains("--version")) {
            out.println(Version.line());
            return 0;
        }
        int code;
        try {
            Args a = Args.parse(cmd.name(), rest, cmd.valued(), cmd.flags());
            code = cmd.run(a, io);
        } catch (UsageException | IllegalArgumentException e) {
            err.println(prefix + e.getMessage() + " (see bitnet " + cmd.name() + " --help)");
            return USAGE;
        } catch (Bit2FormatException e) {
            err.println(prefix + e.getMessage());
            return USAGE;
        } catch (CommandFailure e) {
            err.println(prefix + e.getMessage());
            return FAILURE;
        } catch (Exception | OutOfMemoryError e) {
            err.println(prefix + "unexpected failure: " + e);
            return FAILURE;
        }
        if (out.checkError()) {
            err.println(prefix + CliSupport.OUTPUT_FAILED);
            return FAILURE;
        }
        return code;
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("usage: bitnet COMMAND [options]   (bitnet COMMAND --help for details;"
                + " --version for the version)\n\ncommands:\n");
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
