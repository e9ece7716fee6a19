package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteTokenizerTest {

    private final ByteTokenizer bytes = ByteTokenizer.INSTANCE;

    @Test
    void tokensAreTheUtf8Bytes() {
        assertThat(bytes.kind()).isEqualTo(TokenizerKind.BYTES);
        assertThat(bytes.vocabSize()).isEqualTo(256).isEqualTo(TokenizerKind.BYTES.vocabSize());
        assertThat(bytes.endOfText()).isEmpty();
        assertThat(bytes.encode("")).isEmpty();
        assertThat(bytes.encode("aé😀")).containsExactly('a', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80);
        for (int t = 0; t < 256; t++) {
            assertThat(bytes.tokenBytes(t)).containsExactly((byte) t);
        }
    }

    @Test
    void roundTripsRealText() {
        for (String line : R50k.europarlLines().subList(0, 200)) {
            assertThat(bytes.decode(bytes.encode(line))).isEqualTo(line);
        }
        assertThat(bytes.encode("a\uD800b")).containsExactly('a', '?', 'b');   // as String.getBytes
    }

    @Test
    void tokenBytesIsACopy() {
        bytes.tokenBytes(65)[0] = 0;
        assertThat(bytes.tokenBytes(65)).containsExactly(65);
        assertThat(bytes.decodeBytes(new int[] {104, 105})).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsIdsOutsideTheVocabularyByName() {
        for (int bad : new int[] {-1, 256, 1000}) {
            assertThatThrownBy(() -> bytes.tokenBytes(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id " + bad);
        }
    }
}
