package dev.bitnet.train.cli;

import dev.bitnet.core.Version;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

import java.io.PrintWriter;

/**
 * The conventions of every picocli command of the project ({@code train}, {@code compact},
 * {@code random}, {@code bench}), in one place; the runtime's dependency-free commands follow
 * the same ({@code dev.bitnet.runtime.cli.RuntimeCli}).
 *
 * <ul>
 *   <li>A problem is one line on stderr, {@code bitnet COMMAND: message}, never a stack trace
 *       ({@code -Dbitnet.debug=true} adds one to an unexpected failure).</li>
 *   <li>Exit codes: {@value #OK} done, {@value #FAILURE} a failure, {@value #BAD_INPUT} bad input
 *       (an option, file or value the user must fix: {@link BadInputException}), {@value #INTERRUPTED}
 *       stopped by Ctrl-C (the JVM's code for SIGINT; SIGTERM gives 143).</li>
 *   <li>{@code --version} prints {@link Version#line()}, like every other command.</li>
 * </ul>
 */
public final class CliConventions {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command failed (a diverged run, a failed parity check, an I/O error, a bug). */
    public static final int FAILURE = 1;
    /** Bad input: a usage error, or an option, file or value the user must fix. */
    public static final int BAD_INPUT = 2;
    /** 128 + SIGINT: the exit code of a JVM that Ctrl-C stopped. */
    public static final int INTERRUPTED = 130;

    private CliConventions() {
    }

    /**
     * A command line for {@code command} (an {@code @Command} object, whose subcommands follow)
     * with the conventions above: the handlers of bad parameters and failures, and the version.
     */
    public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        setVersion(cl);
        cl.setParameterExceptionHandler((e, args) -> {
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            PrintWriter w = e.getCommandLine().getErr();
            w.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            w.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter w = c.getErr();
            w.println(c.getCommandSpec().qualifiedName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (e instanceof BadInputException) {
                w.flush();
                return BAD_INPUT;
            }
            if (Boolean.getBoolean("bitnet.debug")) {
                e.printStackTrace(w);
            }
            w.flush();
            return FAILURE;
        });
        return cl;
    }

    /** Prints {@code message} as {@code bitnet COMMAND: message}, for problems a command reports itself. */
    public static void error(CommandLine command, String message) {
        PrintWriter w = command.getErr();
        w.println(command.getCommandSpec().qualifiedName() + ": " + message);
        w.flush();
    }

    private static void setVersion(CommandLine cl) {
        cl.getCommandSpec().versionProvider(VERSION);
        cl.getSubcommands().values().forEach(CliConventions::setVersion);
    }

    private static final IVersionProvider VERSION = () -> new String[] {Version.line()};
}
