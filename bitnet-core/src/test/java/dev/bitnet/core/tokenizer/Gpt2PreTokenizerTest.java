package dev.bitnet.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written pre-tokenizer against the regular expression it replaces, compiled exactly as
 * jtokkit 1.1.0 compiles it for r50k_base (pattern and flags read from its EncodingFactory).
 */
class Gpt2PreTokenizerTest {

    private static final Pattern JTOKKIT_R50K = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Characters where the pattern's alternatives and Unicode classes meet. */
    private static final String[] ALPHABET = {
        " ", " ", " ", "\t", "\n", "\r", "\u000B", "\u000C", "\u0085", "\u00A0", "\u1680", "\u2007", "\u2028",
        "\u3000", "\u200B", "\u001F", "\u180E",
        "a", "Z", "s", "t", "l", "v", "e", "r", "d", "m", "S", "T", "L", "D", "\u017F", "é", "ß", "Ω", "ǅ", "ʰ",
        "中", "ー", "\u0301", "\u0915\u093F", "\u05D0",
        "'", "'", "’", ".", ",", "!", "?", "-", "<|endoftext|>", "|", "_", "$", "€", "\u00AD",
        "0", "7", "٣", "Ⅻ", "½", "²", "\uD835\uDFD8",
        "😀", "\uD835\uDC00", "\uD800", "\uDC00", "\uDBFF\uDFFF", "\uFFFD", "\uFEFF", "\u0000",
    };

    @Test
    void classifiesEveryCodePointAsTheRegexClassesDo() {
        Matcher space = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
        Matcher letter = Pattern.compile("\\p{L}", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
        Matcher number = Pattern.compile("\\p{N}", Pattern.UNICODE_CHARACTER_CLASS).matcher("");
        int[] counts = new int[4];
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = new String(Character.toChars(cp));
            int want = space.reset(s).matches() ? 0 : letter.reset(s).matches() ? 1 : number.reset(s).matches() ? 2 : 3;
            int got = Gpt2PreTokenizer.classify(cp);
            if (got != want) {
                throw new AssertionError(String.format("U+%04X: classified %d, regex says %d", cp, got, want));
            }
            counts[got]++;
        }
        assertThat(counts[0]).isEqualTo(25);                   // White_Space as Java's regex defines it
        assertThat(counts[1]).isGreaterThan(100_000);
        assertThat(counts[2]).isGreaterThan(1_000);
    }

    @Test
    void splitsRandomTextExactlyWhereTheRegexDoes() {
        Random random = new Random(20261126);
        for (int round = 0; round < 30_000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(24);
            for (int i = 0; i < len; i++) {
                sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String text = sb.toString();
            assertThat(pieces(text)).as("pieces of %s", escape(text)).isEqualTo(regexPieces(text));
        }
    }

    @Test
    void splitsEuroparlProseExactlyWhereTheRegexDoes() {
        List<String> lines = R50k.europarlLines();
        for (int i = 0; i < lines.size(); i += 97) {
            assertThat(pieces(lines.get(i))).as("line %d", i + 1).isEqualTo(regexPieces(lines.get(i)));
        }
    }

    @Test
    void emptyTextHasNoPieces() {
        Gpt2PreTokenizer.Pieces p = Gpt2PreTokenizer.split("");
        assertThat(p.count()).isZero();
    }

    @Test
    void writesLoneSurrogatesAsQuestionMarksLikeStringGetBytes() {
        String text = "a\uD800b\uDC00 \uDBFF\uDFFF\uDBFF";
        Gpt2PreTokenizer.Pieces p = Gpt2PreTokenizer.split(text);
        byte[] utf8 = Arrays.copyOf(p.utf8(), p.ends()[p.count() - 1]);
        assertThat(utf8).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> pieces(String text) {
        Gpt2PreTokenizer.Pieces p = Gpt2PreTokenizer.split(text);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < p.count(); k++) {
            out.add(hex(Arrays.copyOfRange(p.utf8(), start, p.ends()[k])));
            start = p.ends()[k];
        }
        return out;
    }

    private static List<String> regexPieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = JTOKKIT_R50K.matcher(text);
        while (m.find()) {
            out.add(hex(m.group().getBytes(StandardCharsets.UTF_8)));   // as jtokkit turns a match into bytes
        }
        return out;
    }

    private static String hex(byte[] b) {
        return TokenTable.hex(b, 0, b.length);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return sb.toString();
    }
}
