package dev.bitnet.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerKindTest {

    @Test
    void parsesTheNamesUsedInFilesAndOnTheCommandLine() {
        assertThat(TokenizerKind.parse("bytes")).isEqualTo(TokenizerKind.BYTES);
        assertThat(TokenizerKind.parse("gpt2")).isEqualTo(TokenizerKind.GPT2);
        assertThat(TokenizerKind.parse(" GPT2 ")).isEqualTo(TokenizerKind.GPT2);
        assertThat(TokenizerKind.parse("Bytes")).isEqualTo(TokenizerKind.BYTES);
        for (TokenizerKind k : TokenizerKind.values()) {
            assertThat(TokenizerKind.parse(k.id())).isEqualTo(k);
            assertThat(TokenizerKind.parse(k.toString())).isEqualTo(k);
        }
    }

    @Test
    void knowsItsVocabularySize() {
        assertThat(TokenizerKind.BYTES.vocabSize()).isEqualTo(256);
        assertThat(TokenizerKind.GPT2.vocabSize()).isEqualTo(50257);
    }

    @Test
    void rejectsOtherNamesNamingTheValueAndTheAcceptedOnes() {
        for (String bad : new String[] {"r50k_base", "", "gpt-2", "BYTES2"}) {
            assertThatThrownBy(() -> TokenizerKind.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("bytes").hasMessageContaining("gpt2");
        }
        assertThatThrownBy(() -> TokenizerKind.parse(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'null'");
    }
}
