package dev.bitnet.train.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code bitnet-train} command line: {@code TrainCli train --preset tiny --data corpus.txt --out runs/tiny}.
 * Exit codes: 0 done (or stopped by Ctrl-C after writing {@code last/}), 1 the run failed
 * (diverged, I/O error), 2 bad input (the message names the option, file or field).
 */
@Command(name = "bitnet-train", mixinStandardHelpOptions = true, version = "bitnet-train 0.1.0",
        description = "Trains the strict 1-bit BitNet v75 language model on DJL (PyTorch engine).",
        subcommands = {TrainCommand.class})
public final class TrainCli {

    /** Exit code of a bad command line, data path, config file or run directory. */
    public static final int BAD_INPUT = CommandLine.ExitCode.USAGE;

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
        CommandLine cl = new CommandLine(new TrainCli());
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parseResult) -> {
            PrintWriter err = c.getErr();
            if (e instanceof BadInputException) {
                err.println("error: " + e.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            if (Boolean.getBoolean("bitnet.debug")) {
                e.printStackTrace(err);
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }
}
