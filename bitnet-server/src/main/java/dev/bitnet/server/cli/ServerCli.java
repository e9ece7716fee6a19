package dev.bitnet.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code bitnet-server}'s command line: {@code serve} runs the OpenAI-compatible server,
 * {@code serve-bench} measures it under concurrent streamed chats. Bad input is one line on
 * stderr naming the problem, exit code 2 for usage errors and 1 for failures.
 */
@Command(name = "bitnet-server", mixinStandardHelpOptions = true, version = "bitnet-server 0.1.0",
        description = "The OpenAI-compatible HTTP server and web chat page.",
        subcommands = {ServeCommand.class, ServeBenchCommand.class})
public final class ServerCli {

    private ServerCli() {
    }

    /** Runs the command line and exits with its status (serve runs until the process is stopped). */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with these streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ServerCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }
}
