package dev.bitnet.runtime.cli;

import java.io.PrintStream;

/**
 * A progress report on stderr: on a terminal one line redrawn in place (as {@code train}'s
 * progress bar), elsewhere (a log file) one line per report.
 */
final class ProgressLine {

    private final PrintStream err;
    private final boolean terminal;
    private int shown;

    ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Shows {@code text} as the current progress. */
    void show(String text) {
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
            shown = text.length();
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** Ends the line being redrawn, so that what follows starts on a line of its own. */
    void end() {
        if (terminal && shown > 0) {
            err.println();
            err.flush();
            shown = 0;
        }
    }
}
