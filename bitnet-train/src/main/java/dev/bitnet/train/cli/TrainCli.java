package dev.bitnet.train.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code bitnet train} command line: {@code TrainCli train --preset tiny --data corpus.txt --out runs/tiny}.
 * Exit codes ({@link CliConventions}): 0 done, 1 the run failed (diverged, I/O error), 2 bad input
 * (the message names the option, file or field), 130 stopped by Ctrl-C after writing {@code last/}.
 */
@Command(name = "bitnet", mixinStandardHelpOptions = true,
        description = "Trains the strict 1-bit BitNet v75 language model on DJL (PyTorch engine).",
        subcommands = {TrainCommand.class})
public final class TrainCli {

    private TrainCli() {
    }

    /** Entry point; exits the JVM with the command's exit code. */
    public static void main(String[] args) {
        DjlLogging.quiet();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return CliConventions.commandLine(new TrainCli(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }
}
