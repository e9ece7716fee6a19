package dev.bitnet.compact.cli;

import dev.bitnet.train.cli.DjlLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code bitnet-compact}: the command line of the exporter. Subcommands: {@code compact} exports a
 * training checkpoint, {@code random} writes a seeded random-weight model. Bad input is one line
 * on stderr naming the problem, exit code 2 for usage errors and 1 for failures; never a stack trace.
 */
@Command(name = "bitnet-compact", mixinStandardHelpOptions = true, version = "bitnet-compact 0.1.0",
        description = "Builds .bit2 model files.",
        subcommands = {RandomCommand.class, CompactCommand.class})
public final class CompactCli {

    private CompactCli() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        DjlLogging.quiet(); // compact --verify runs the trainer's model on DJL
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with these streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new CompactCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }
}
