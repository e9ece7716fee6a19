package dev.bitnet.doctest;

import java.util.List;

/**
 * One {@code ./bitnet COMMAND ...} invocation written in a markdown file.
 *
 * @param file    the markdown file, relative to the repository root
 * @param line    the 1-based line of {@code bitnet}
 * @param command the command word, "" for a bare {@code ./bitnet}
 * @param args    the words after the command (and options named in trailing comments)
 */
record DocumentedCommand(String file, int line, String command, List<ShellToken> args) {
}
