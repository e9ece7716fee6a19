package dev.bitnet.runtime.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * What a command reads and writes, and what those streams are connected to.
 *
 * @param in            standard input (empty when the process was started without one)
 * @param out           standard output: the command's result
 * @param err           standard error: prompts, progress and messages
 * @param console       the terminal, for line editing and history in {@code chat}; null when stdin
 *                      or stdout is not a terminal (pipes, files, tests)
 * @param errIsTerminal whether {@code err} is a terminal, where progress is redrawn in place
 * @param ctrlC         Ctrl-C for {@code chat} to stop an answer with; null where there is no
 *                      signal to take (tests, or a process that ignores SIGINT)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Console console, boolean errIsTerminal, CtrlC ctrlC) {

    /** Plain streams: no terminal, no Ctrl-C (what {@link RuntimeCli#run} gives a command). */
    static Io of(InputStream in, PrintStream out, PrintStream err) {
        return new Io(in, out, err, null, false, null);
    }
}
