package dev.bitnet.train.loop;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line per update on stderr: {@code step 120/5000 | loss 2.3100 | lr 4.9e-03 |
 * tau 0.98 | 12.3k tok/s | ETA 1h02m}. On a terminal the line is redrawn in place with a
 * carriage return; otherwise (a log file) a plain line is printed every {@code every} updates.
 */
public final class ProgressBar {

    private final PrintStream out;
    private final boolean terminal;
    private final int every;
    private int lastLength;

    /**
     * @param out      where to print (stderr)
     * @param terminal redraw in place (true on a terminal)
     * @param every    print every this many updates when not on a terminal
     */
    public ProgressBar(PrintStream out, boolean terminal, int every) {
        this.out = out;
        this.terminal = terminal;
        this.every = Math.max(1, every);
    }

    /** A bar on stderr that redraws in place when stderr is a terminal. */
    public static ProgressBar stderr(int totalSteps) {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new ProgressBar(System.err, terminal, Math.max(1, totalSteps / 100));
    }

    /** Reports update {@code step} (1-based count of updates done) of {@code total}. */
    public void update(int step, int total, double loss, double lr, double tau, double tokensPerS, double etaSeconds) {
        if (!terminal && step % every != 0 && step != total) {
            return;
        }
        String line = String.format(Locale.ROOT, "step %d/%d | loss %.4f | lr %.2e | tau %.3f | %s tok/s | ETA %s",
                step, total, loss, lr, tau, kilo(tokensPerS), duration(etaSeconds));
        if (terminal) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            if (step == total) {
                out.println();
                lastLength = 0;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Prints a message on its own line (ending a bar being redrawn). */
    public void message(String text) {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
        out.println(text);
        out.flush();
    }

    static String kilo(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
