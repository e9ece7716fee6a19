package dev.bitnet.compact.cli;

import dev.bitnet.train.cli.CliConventions;
import dev.bitnet.train.cli.DjlLogging;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The command line of the exporter. Subcommands: {@code bitnet compact} exports a training
 * checkpoint, {@code bitnet random} writes a seeded random-weight model. Problems are one line on
 * stderr naming them, exit code 2 for bad input and 1 for failures, never a stack trace
 * ({@link CliConventions}).
 */
@Command(name = "bitnet", mixinStandardHelpOptions = true,
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
        return CliConventions.commandLine(new CompactCli(), out, err).execute(args);
    }
}
