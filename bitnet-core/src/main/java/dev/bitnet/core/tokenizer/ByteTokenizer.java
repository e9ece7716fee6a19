package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** The {@code bytes} tokenizer: token {@code i} is the byte {@code i} of the text's UTF-8. */
public final class ByteTokenizer implements Tokenizer {

    /** The one instance. */
    public static final ByteTokenizer INSTANCE = new ByteTokenizer();

    private static final byte[][] SINGLE = new byte[256][];

    static {
        for (int i = 0; i < 256; i++) {
            SINGLE[i] = new byte[] {(byte) i};
        }
    }

    private ByteTokenizer() {
    }

    @Override
    public TokenizerKind kind() {
        return TokenizerKind.BYTES;
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public int[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Override
    public byte[] tokenBytes(int token) {
        if (token < 0 || token >= 256) {
            throw new IllegalArgumentException("token id " + token + " is outside the bytes vocabulary [0, 256)");
        }
        return SINGLE[token].clone();
    }

    @Override
    public OptionalInt endOfText() {
        return OptionalInt.empty();
    }
}
