package dev.bitnet.doctest;

import java.util.List;

/**
 * A fenced code block of a markdown file.
 *
 * @param language  the info string's first word, lower case ("" when none)
 * @param firstLine the 1-based line number of {@code lines.get(0)}, the line after the opening fence
 * @param lines     the block's content, without the fences
 */
record FencedBlock(String language, int firstLine, List<String> lines) {
}
