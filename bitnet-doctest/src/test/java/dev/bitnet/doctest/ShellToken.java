package dev.bitnet.doctest;

/**
 * A word of a documented shell line, after quote removal.
 *
 * @param text the word
 * @param line the 1-based markdown line it is on
 * @param kind what it is
 */
record ShellToken(String text, int line, Kind kind) {

    /** What a token is. */
    enum Kind {
        /** An argument word. */
        WORD,
        /** {@code ;}, {@code |}, {@code &&} or {@code ||}: a new command follows. */
        SEPARATOR,
        /** An {@code --option} named in a trailing {@code # comment}. */
        COMMENT_OPTION
    }
}
