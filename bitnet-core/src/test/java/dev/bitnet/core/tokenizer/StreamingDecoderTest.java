package dev.bitnet.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingDecoderTest {

    private static final String MULTILINGUAL =
            "Grüße 😀 aus 中文字符 und Ελληνικά, 👩‍👩‍👧 e\u0301 𝐀𝐁 한국어 — ok";

    @Test
    void gpt2TokensThatSplitCharactersStreamToTheRightText() {
        Gpt2Tokenizer gpt2 = R50k.tokenizer();
        int[] tokens = gpt2.encode(MULTILINGUAL);
        // The test is only meaningful if some token is not valid UTF-8 on its own.
        assertThat(java.util.Arrays.stream(tokens).filter(t -> !isValidUtf8(gpt2.tokenBytes(t))).count()).isGreaterThan(2);
        assertStreamsTo(gpt2, tokens, MULTILINGUAL);
    }

    @Test
    void bytesTokensStreamWholeCharactersOnly() {
        ByteTokenizer bytes = ByteTokenizer.INSTANCE;
        StreamingDecoder d = bytes.newStreamingDecoder();
        int[] tokens = bytes.encode("é😀");                           // c3 a9 | f0 9f 98 80
        assertThat(d.push(tokens[0])).isEmpty();
        assertThat(d.push(tokens[1])).isEqualTo("é");
        assertThat(d.push(tokens[2])).isEmpty();
        assertThat(d.push(tokens[3])).isEmpty();
        assertThat(d.push(tokens[4])).isEmpty();
        assertThat(d.push(tokens[5])).isEqualTo("😀");
        assertThat(d.flush()).isEmpty();
        assertStreamsTo(bytes, bytes.encode(MULTILINGUAL), MULTILINGUAL);
    }

    @Test
    void flushReleasesAnIncompleteCharacterAsReplacementAndResets() {
        StreamingDecoder d = ByteTokenizer.INSTANCE.newStreamingDecoder();
        assertThat(d.push(0xE4)).isEmpty();
        assertThat(d.push(0xB8)).isEmpty();
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.flush()).isEmpty();
        assertThat(d.push('a')).isEqualTo("a");
    }

    @Test
    void invalidBytesBecomeReplacementCharactersWithoutStalling() {
        StreamingDecoder d = ByteTokenizer.INSTANCE.newStreamingDecoder();
        assertThat(d.push(0x80)).isEqualTo("\uFFFD");               // stray continuation byte
        assertThat(d.push(0xE2)).isEmpty();
        assertThat(d.push('x')).isEqualTo("\uFFFDx");               // lead byte cut short
        assertThat(d.push(0xC3)).isEmpty();
        assertThat(d.push(0xC3)).isEqualTo("\uFFFD");               // a new lead ends the old one
        assertThat(d.push(0xA9)).isEqualTo("é");
    }

    @Test
    void specialTokensStreamAsTheirName() {
        Gpt2Tokenizer gpt2 = R50k.tokenizer();
        StreamingDecoder d = gpt2.newStreamingDecoder();
        assertThat(d.push(15496)).isEqualTo("Hello");
        assertThat(d.push(50256)).isEqualTo("<|endoftext|>");
    }

    private static void assertStreamsTo(Tokenizer tokenizer, int[] tokens, String text) {
        StreamingDecoder d = tokenizer.newStreamingDecoder();
        List<String> parts = new ArrayList<>();
        for (int t : tokens) {
            parts.add(d.push(t));
        }
        parts.add(d.flush());
        assertThat(parts).noneMatch(p -> p.contains("\uFFFD"));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    private static boolean isValidUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
