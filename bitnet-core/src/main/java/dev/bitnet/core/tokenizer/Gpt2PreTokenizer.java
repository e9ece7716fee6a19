package dev.bitnet.core.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's pre-tokenizer, hand-written: it splits text into the pieces that the regular expression
 * <pre>'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * finds when compiled as jtokkit compiles it for r50k_base (case-sensitive,
 * {@code UNICODE_CHARACTER_CLASS}, so {@code \s} is Unicode White_Space), and writes the text's
 * UTF-8 with the piece boundaries as byte offsets. A lone surrogate is one code point of its own
 * (neither letter, number nor space) and is written as {@code ?}, as {@link String#getBytes}
 * does. Scanning by hand avoids the regex engine and one String per piece.
 */
final class Gpt2PreTokenizer {

    private static final int SPACE = 0;
    private static final int LETTER = 1;
    private static final int NUMBER = 2;
    private static final int OTHER = 3;

    private static final int LETTER_TYPES = 1 << Character.UPPERCASE_LETTER | 1 << Character.LOWERCASE_LETTER
            | 1 << Character.TITLECASE_LETTER | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER;
    private static final int NUMBER_TYPES = 1 << Character.DECIMAL_DIGIT_NUMBER | 1 << Character.LETTER_NUMBER
            | 1 << Character.OTHER_NUMBER;
    private static final int SPACE_TYPES = 1 << Character.SPACE_SEPARATOR | 1 << Character.LINE_SEPARATOR
            | 1 << Character.PARAGRAPH_SEPARATOR;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classify(c);
        }
    }

    /** The text's UTF-8 ({@code utf8[0 .. ends[count-1])}) and the end offset of each piece. */
    record Pieces(byte[] utf8, int[] ends, int count) {
    }

    private Gpt2PreTokenizer() {
    }

    static Pieces split(String text) {
        int n = text.length();
        byte[] utf8 = new byte[n + 16];
        int[] ends = new int[Math.max(8, n / 4)];
        int count = 0;
        int b = 0;
        int i = 0;
        while (i < n) {
            int j = pieceEnd(text, i, n);
            if (utf8.length - b < 3 * (j - i)) {          // a char never takes more than 3 bytes
                utf8 = Arrays.copyOf(utf8, Math.max(utf8.length * 2, b + 3 * (j - i)));
            }
            b = writeUtf8(text, i, j, utf8, b);
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = b;
            i = j;
        }
        return new Pieces(utf8, ends, count);
    }

    /** End (char index) of the piece starting at {@code i}: the first alternative of the pattern that matches. */
    private static int pieceEnd(String s, int i, int n) {
        char c = s.charAt(i);
        if (c == '\'') {
            int e = contractionEnd(s, i, n);
            if (e > 0) {
                return e;
            }
        }
        int kind = classAt(s, i);
        int runStart = i;
        if (c == ' ' && i + 1 < n) {
            int next = classAt(s, i + 1);
            if (next != SPACE) {              // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+"
                kind = next;
                runStart = i + 1;
            }
        }
        int j = runEnd(s, runStart, n, kind);
        if (kind == SPACE && j < n && j - i >= 2) {
            j--;                               // "\s+(?!\S)": leave the last space to the next word
        }                                      // (White_Space is all in the BMP: one char)
        return j;
    }

    /** End of "'s", "'t", "'re", "'ve", "'m", "'ll", "'d" at {@code i}, or 0 if none (case-sensitive). */
    private static int contractionEnd(String s, int i, int n) {
        if (i + 1 >= n) {
            return 0;
        }
        char a = s.charAt(i + 1);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return i + 2;
        }
        if (i + 2 >= n) {
            return 0;
        }
        char b = s.charAt(i + 2);
        if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e')) {
            return i + 3;
        }
        return 0;
    }

    private static int runEnd(String s, int i, int n, int kind) {
        while (i < n) {
            char c = s.charAt(i);
            if (c < 128) {
                if (ASCII[c] != kind) {
                    break;
                }
                i++;
            } else {
                int cp = s.codePointAt(i);
                if (classify(cp) != kind) {
                    break;
                }
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    private static int classAt(String s, int i) {
        char c = s.charAt(i);
        return c < 128 ? ASCII[c] : classify(s.codePointAt(i));
    }

    /** The pattern's classes: {@code \s} (Java's White_Space), {@code \p{L}}, {@code \p{N}}, the rest. */
    static int classify(int cp) {
        int type = Character.getType(cp);
        if ((SPACE_TYPES >>> type & 1) != 0 || (cp >= 0x9 && cp <= 0xD) || cp == 0x85) {
            return SPACE;
        }
        if ((LETTER_TYPES >>> type & 1) != 0) {
            return LETTER;
        }
        if ((NUMBER_TYPES >>> type & 1) != 0) {
            return NUMBER;
        }
        return OTHER;
    }

    /** Writes {@code s[from .. to)} as UTF-8 at {@code b}; lone surrogates become '?'. Returns the new offset. */
    private static int writeUtf8(String s, int from, int to, byte[] out, int b) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[b++] = (byte) c;
            } else if (c < 0x800) {
                out[b++] = (byte) (0xC0 | c >> 6);
                out[b++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out[b++] = (byte) (0xF0 | cp >> 18);
                    out[b++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    out[b++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    out[b++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    out[b++] = '?';
                }
            } else {
                out[b++] = (byte) (0xE0 | c >> 12);
                out[b++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[b++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return b;
    }
}
