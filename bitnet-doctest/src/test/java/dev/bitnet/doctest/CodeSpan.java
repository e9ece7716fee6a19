package dev.bitnet.doctest;

/**
 * An inline code span of a markdown file, outside fenced blocks.
 *
 * @param line the 1-based line it is on
 * @param text what is between the backticks, trimmed
 */
record CodeSpan(int line, String text) {
}
