package dev.bitnet.runtime.cli;

import dev.bitnet.core.format.Bit2FormatException;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime's command line: {@code generate}, {@code chat}, {@code eval} and {@code info}.
 * {@code args[0]} is the command; {@code --help} after any command explains it. Bad input
 * (missing or damaged model, empty prompt, invalid sampling values, ...) prints one line to
 * stderr and exits with code 2; no stack traces.
 */
public final class RuntimeCli {

    /** Exit code for bad input. */
    public static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new GenerateCommand(), new ChatCommand(),
            new EvalCommand(), new InfoCommand());

    private RuntimeCli() {
    }

    /** Runs a command and exits with its code. */
    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs a command with the given streams and returns the exit code: 0 for success, 2 for bad
     * input, 1 for an unexpected failure.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            err.print(usage());
            return args.length == 0 ? USAGE : 0;
        }
        Command cmd = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("bitnet: unknown command '" + args[0] + "'");
            err.print(usage());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help")) {
            out.print(cmd.help());
            return 0;
        }
        try {
            Args a = Args.parse(cmd.name(), rest, cmd.valued(), cmd.flags());
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return cmd.run(a, reader, out, err);
        } catch (UsageException | IllegalArgumentException e) {
            err.println("bitnet " + cmd.name() + ": " + e.getMessage() + " (see bitnet " + cmd.name() + " --help)");
            return USAGE;
        } catch (Bit2FormatException e) {
            err.println("bitnet " + cmd.name() + ": " + e.getMessage());
            return USAGE;
        } catch (Exception | OutOfMemoryError e) {
            err.println("bitnet " + cmd.name() + ": unexpected failure: " + e);
            return 1;
        }
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("usage: bitnet COMMAND [options]   (bitnet COMMAND --help for details)\n\ncommands:\n");
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
