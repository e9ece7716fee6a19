package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Gpt2TokenizerTest {

    private final Gpt2Tokenizer gpt2 = R50k.tokenizer();

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "  ", "     ", "\t", "\n", "\n\n\n", "\r\n", "a\r\nb\r\n", "trailing space ", "trailing spaces   ",
        "  leading", "a  b   c    d", "line\n  indented\n\tTab", " \n \n", "x\u00A0y\u3000z\u2028w\u0085v",
        "Hello, world!", "It's", "it's 'S 'T 'Re 'LL", "we're they've I'm you'll he'd", "'s'S''s'''", "O'Neil's",
        "'", "''", "'ll", "x'", "don’t", "12345678901234567890", "3.14159 1,000,000 ٣٤٥ Ⅻ ½ ²³", "2024-03-30",
        "😀", "😀😀 a😀b", "👩‍👩‍👧‍👦 family", "𝐀𝐁𝐂 math", "e\u0301 é", "a\u0301\u0302\u0303", "Ǆǅǆ",
        "中文字符和日本語のテキスト", "한국어 텍스트", "Ελληνικά κείμενα", "Русский текст", "עברית", "العربية",
        "<|endoftext|>", "a<|endoftext|>b", " <|endoftext|> ", "<|endoftext|><|endoftext|>",
        "\u0000\u0001\u001F", "\uFEFFbom", "soft\u00ADhyphen", "zero\u200Bwidth",
        "a\uD800b", "\uDC00", "\uD800\uD800", " \uDBFF", "pair \uDBFF\uDFFF end",
        "    def f(x):\n        return x  # comment\n", "https://example.com/path?q=1&r=2#frag",
    })
    void encodesLikeJtokkit(String text) {
        assertThat(gpt2.encode(text)).as(Gpt2PreTokenizerTest.escape(text)).isEqualTo(R50k.oracle(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "\r\n", "It's", "12345", "😀 a😀b", "e\u0301", "中文", "<|endoftext|>", "trailing   ",
        "Ελληνικά\n\nРусский", "\u0000",
    })
    void decodeInvertsEncode(String text) {
        assertThat(gpt2.decode(gpt2.encode(text))).isEqualTo(text);
    }

    @Test
    void loneSurrogatesEncodeAsQuestionMarksLikeJtokkit() {
        String text = "a\uD800b";
        assertThat(gpt2.encode(text)).isEqualTo(R50k.oracle(text));
        assertThat(gpt2.decode(gpt2.encode(text))).isEqualTo("a?b");
    }

    @Test
    void specialTokenTextIsOrdinaryText() {
        int[] tokens = gpt2.encode("<|endoftext|>");
        assertThat(tokens).hasSizeGreaterThan(1).doesNotContain(50256);
        assertThat(gpt2.decode(tokens)).isEqualTo("<|endoftext|>");
    }

    @Test
    void longPiecesUseTheHeapAndStillMatchJtokkit() {
        Random random = new Random(7);
        String letters = "abcdefghijklmnopqrstuvwxyzéßø";
        // 127/128 straddle our linear/heap switch; 499/500/501 jtokkit's own small/large switch.
        for (int n : new int[] {BytePairEncoder.HEAP_THRESHOLD - 1, BytePairEncoder.HEAP_THRESHOLD, 129, 300,
                                499, 500, 501, 2000, 20_000}) {
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < n; i++) {
                word.append(letters.charAt(random.nextInt(letters.length())));
            }
            for (String text : List.of(word.toString(), " " + word, "x" + " ".repeat(n) + "y", "1".repeat(n),
                                       "a".repeat(n), "!?".repeat(n / 2), "😀".repeat(n / 2), "中".repeat(n))) {
                assertThat(gpt2.encode(text)).as("length %d: %s...", n, text.substring(0, 20)).isEqualTo(R50k.oracle(text));
            }
        }
    }

    @Test
    void longPiecesAreNotQuadratic() {
        // One pre-tokenizer piece each: the linear-scan merge would take about 10^10 steps.
        Random random = new Random(11);
        StringBuilder word = new StringBuilder(" ");
        for (int i = 0; i < 100_000; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        for (String text : List.of("a" + " ".repeat(100_000) + "b", word.toString())) {
            int[] tokens = gpt2.encode(text);
            assertThat(tokens).isEqualTo(R50k.oracle(text));
            assertThat(gpt2.decode(tokens)).isEqualTo(text);
        }
    }

    @Test
    void vocabularyIsR50kBase() {
        assertThat(gpt2.kind()).isEqualTo(TokenizerKind.GPT2);
        assertThat(gpt2.vocabSize()).isEqualTo(50257).isEqualTo(TokenizerKind.GPT2.vocabSize());
        assertThat(gpt2.endOfText()).hasValue(50256);
        assertThat(gpt2.specialTokens()).containsExactly(Map.entry("<|endoftext|>", 50256));
        assertThat(gpt2.mergeableRanks()).hasSize(50256);
        assertThat(gpt2.tokenBytes(50256)).isEqualTo("<|endoftext|>".getBytes(StandardCharsets.UTF_8));
        assertThat(gpt2.tokenBytes(0)).isEqualTo(new byte[] {'!'});
        assertThat(gpt2.tokenBytes(50255)).isEqualTo(R50k.jtokkit().decodeBytes(intList(50255)));
        assertThat(gpt2.encode("Hello world")).containsExactly(15496, 995);  // GPT-2's well-known ids
    }

    @Test
    void everyTokenDecodesLikeJtokkit() {
        for (int id = 0; id < 50256; id++) {
            byte[] want = R50k.jtokkit().decodeBytes(intList(id));
            if (!Arrays.equals(gpt2.tokenBytes(id), want)) {
                throw new AssertionError("token " + id + " differs");
            }
        }
        assertThat(gpt2.decodeBytes(new int[] {15496, 995, 50256}))
                .isEqualTo("Hello world<|endoftext|>".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRejectedByName() {
        for (int bad : new int[] {-1, 50257, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> gpt2.tokenBytes(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id " + bad);
            assertThatThrownBy(() -> gpt2.decode(new int[] {15496, bad}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id " + bad);
        }
    }

    @Test
    void isImmutable() {
        byte[] first = gpt2.tokenBytes(15496);
        first[0] = 0;
        assertThat(gpt2.tokenBytes(15496)).isEqualTo("Hello".getBytes(StandardCharsets.UTF_8));
        gpt2.mergeableRanks().get(15496)[0] = 0;
        assertThat(gpt2.tokenBytes(15496)).isEqualTo("Hello".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> gpt2.mergeableRanks().set(0, new byte[] {1})).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> gpt2.specialTokens().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void roundTripsThroughItsOwnTable() {
        Gpt2Tokenizer copy = Gpt2Tokenizer.of(gpt2.mergeableRanks(), gpt2.specialTokens());
        String text = R50k.europarlLines().get(3);
        assertThat(copy.encode(text)).isEqualTo(gpt2.encode(text));
        assertThat(copy.vocabSize()).isEqualTo(50257);
    }

    @Test
    void encodesConcurrentlyFromManyThreads() throws Exception {
        List<String> lines = R50k.europarlLines().subList(0, 400);
        List<int[]> sequential = lines.stream().map(gpt2::encode).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = lines.size() - 1; i >= 0; i--) {
                        if (!Arrays.equals(gpt2.encode(lines.get(i)), sequential.get(i))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        }
    }

    // --- building from a table -------------------------------------------------------------

    @Test
    void buildsASmallByteLevelTable() {
        List<byte[]> ranks = singleBytes();
        ranks.add(new byte[] {'a', 'b'});            // 256
        ranks.add(new byte[] {'a', 'b', 'c'});       // 257
        ranks.add(new byte[] {'b', 'c'});            // 258: ranks above "ab", so "abc" goes ab + c -> abc
        Gpt2Tokenizer t = Gpt2Tokenizer.of(ranks, Map.of("<|endoftext|>", 259, "<|pad|>", 260));
        assertThat(t.vocabSize()).isEqualTo(261);
        assertThat(t.endOfText()).hasValue(259);
        assertThat(t.encode("abc")).containsExactly(257);
        assertThat(t.encode("abcd")).containsExactly(257, 'd');
        assertThat(t.encode("xbc")).containsExactly('x', 258);
        assertThat(t.encode("<|pad|>")).doesNotContain(260);
        assertThat(t.tokenBytes(260)).isEqualTo("<|pad|>".getBytes(StandardCharsets.UTF_8));
        assertThat(Gpt2Tokenizer.of(singleBytes(), Map.of()).endOfText()).isEmpty();
    }

    @Test
    void rejectsInvalidTablesWithClearMessages() {
        assertThatThrownBy(() -> Gpt2Tokenizer.of(List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Gpt2Tokenizer.of(null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("special tokens");

        List<byte[]> duplicate = singleBytes();
        duplicate.add(new byte[] {'a', 'b'});
        duplicate.add(new byte[] {'a', 'b'});
        assertThatThrownBy(() -> Gpt2Tokenizer.of(duplicate, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 257").hasMessageContaining("token 256").hasMessageContaining("6162");

        List<byte[]> empty = singleBytes();
        empty.add(new byte[0]);
        assertThatThrownBy(() -> Gpt2Tokenizer.of(empty, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 256 has no bytes");

        List<byte[]> missingByte = singleBytes();
        missingByte.set(0x0a, new byte[] {'a', 'b'});
        assertThatThrownBy(() -> Gpt2Tokenizer.of(missingByte, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byte 0x0a is not a token");

        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), Map.of("<|endoftext|>", 255)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'<|endoftext|>' has id 255").hasMessageContaining("mergeable rank");
        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), Map.of("<|endoftext|>", 256, "<|pad|>", 256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share id 256");
        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), Map.of("<|endoftext|>", 257)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has id 257, expected 256");
        Map<String, Integer> nullId = new HashMap<>();
        nullId.put("<|endoftext|>", null);
        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), nullId))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'<|endoftext|>' has no id");
        assertThatThrownBy(() -> Gpt2Tokenizer.of(singleBytes(), Map.of("", 256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 256 has no name");
    }

    @Test
    void readsTiktokenFilesAndNamesTheBadLine() throws IOException {
        String good = "IQ== 0\nIg== 1\n";
        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream(good)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byte 0x00 is not a token");
        StringBuilder all = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            all.append(java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
        }
        Gpt2Tokenizer bytesOnly = Gpt2Tokenizer.fromTiktoken(stream(all.toString()));
        assertThat(bytesOnly.vocabSize()).isEqualTo(257);
        assertThat(bytesOnly.endOfText()).hasValue(256);
        assertThat(bytesOnly.encode("hi")).containsExactly('h', 'i');

        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream("IQ== 0\nIg==\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("'Ig=='");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream("IQ== 0\nIg== x\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2: rank is not a number");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream("IQ== 0\n*** 1\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2: invalid base64");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream("IQ== 0\nIg== 2\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2: rank 2 out of order, expected 1");
        assertThatThrownBy(() -> Gpt2Tokenizer.fromTiktoken(stream("\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ranks");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<byte[]> singleBytes() {
        List<byte[]> ranks = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            ranks.add(new byte[] {(byte) b});
        }
        return ranks;
    }

    private static com.knuddels.jtokkit.api.IntArrayList intList(int... ids) {
        com.knuddels.jtokkit.api.IntArrayList l = new com.knuddels.jtokkit.api.IntArrayList();
        for (int id : ids) {
            l.add(id);
        }
        return l;
    }
}
