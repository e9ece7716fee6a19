package dev.bitnet.runtime.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the process's standard streams are, read from Linux's {@code /proc/self/fd}. Elsewhere
 * nothing is known and the streams are taken as they are.
 */
final class StandardStreams {

    private StandardStreams() {
    }

    /**
     * Whether descriptor 0 is a file of the JDK itself. A process started with stdin closed
     * ({@code bitnet chat <&-}) has no descriptor 0, and the JVM's first open file (its
     * {@code lib/modules}) takes that number: {@code System.in} then reads the JDK's class archive.
     */
    static boolean stdinIsTheJdksOwnFile() {
        Optional<Path> target = target(0);
        if (target.isEmpty()) {
            return false;
        }
        try {
            Path home = Path.of(System.getProperty("java.home")).toRealPath();
            return target.get().startsWith(home);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether descriptor {@code fd} (2 = stderr) is a terminal; without /proc, whether the JVM has a console. */
    static boolean isTerminal(int fd) {
        Optional<Path> target = target(fd);
        if (target.isEmpty()) {
            Console c = System.console();
            return c != null && c.isTerminal();
        }
        String t = target.get().toString();
        return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
    }

    private static Optional<Path> target(int fd) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
