package dev.bitnet.doctest;

/**
 * A link or image target written in a markdown file, outside code.
 *
 * @param line   the 1-based line it is on
 * @param target what is between the parentheses (or after a reference definition's colon)
 */
record MarkdownLink(int line, String target) {
}
