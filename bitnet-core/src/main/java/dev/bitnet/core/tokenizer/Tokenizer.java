package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /** Which tokenizer this is. */
    TokenizerKind kind();

    /** Number of token ids, including special tokens. */
    int vocabSize();

    /**
     * Encodes text as ordinary text: special-token strings such as {@code <|endoftext|>} are
     * encoded like any other text, never as their special id.
     */
    int[] encode(String text);

    /**
     * The bytes a token stands for (for a special token, the UTF-8 of its name).
     *
     * @throws IllegalArgumentException naming the id if it is outside {@code [0, vocabSize())}
     */
    byte[] tokenBytes(int token);

    /** The id of {@code <|endoftext|>}, if this tokenizer has one. */
    OptionalInt endOfText();

    /** Concatenated bytes of the tokens. */
    default byte[] decodeBytes(int[] tokens) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int t : tokens) {
            out.writeBytes(tokenBytes(t));
        }
        return out.toByteArray();
    }

    /** Decodes tokens to text; invalid UTF-8 becomes U+FFFD. */
    default String decode(int[] tokens) {
        return new String(decodeBytes(tokens), StandardCharsets.UTF_8);
    }

    /** A decoder for streaming: it holds back a UTF-8 character split across tokens until it is complete. */
    default StreamingDecoder newStreamingDecoder() {
        return new StreamingDecoder(this);
    }
}
