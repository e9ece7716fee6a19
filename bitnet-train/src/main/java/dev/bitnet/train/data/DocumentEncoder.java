package dev.bitnet.train.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.bitnet.core.config.TokenizerKind;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text to training tokens for a {@link TokenizerKind}, and what separates two documents.
 *
 * <ul>
 *   <li>{@code bytes}: the UTF-8 bytes; documents are separated by one {@code \n} (10).
 *   <li>{@code gpt2}: jtokkit's r50k_base {@code encodeOrdinary} (the text {@code <|endoftext|>} is
 *       encoded as ordinary text); documents are separated by {@code <|endoftext|>} (50256).
 * </ul>
 */
final class DocumentEncoder {

    private static final int GPT2_END_OF_TEXT = 50256;

    private final TokenizerKind kind;
    private final Encoding encoding; // null for bytes

    private DocumentEncoder(TokenizerKind kind, Encoding encoding) {
        this.kind = kind;
        this.encoding = encoding;
    }

    static DocumentEncoder of(TokenizerKind kind) {
        return switch (kind) {
            case BYTES -> new DocumentEncoder(kind, null);
            case GPT2 -> new DocumentEncoder(kind, R50k.ENCODING);
        };
    }

    TokenizerKind kind() {
        return kind;
    }

    /** The tokens of {@code text} (a whole document or a chunk cut by {@link Utf8Input#nextChunk()}). */
    int[] encode(String text) {
        if (encoding == null) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            int[] t = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                t[i] = b[i] & 0xFF;
            }
            return t;
        }
        return encoding.encodeOrdinary(text).toArray();
    }

    /** The token written between two documents. */
    int separator() {
        return encoding == null ? '\n' : GPT2_END_OF_TEXT;
    }

    /**
     * UTF-8 bytes each token stands for, indexed by token id, for bits/byte. The document separator
     * counts as one byte for both kinds (it stands for a document boundary, which {@code bytes}
     * spells as one newline), so the two tokenizers measure the same text.
     */
    static int[] tokenByteLengths(TokenizerKind kind) {
        return switch (kind) {
            case BYTES -> {
                int[] ones = new int[kind.vocabSize()];
                Arrays.fill(ones, 1);
                yield ones;
            }
            case GPT2 -> R50k.BYTE_LENGTHS.clone();
        };
    }

    /** r50k_base, loaded on first use (jtokkit parses its vocabulary file). */
    private static final class R50k {
        static final Encoding ENCODING =
                Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        static final int[] BYTE_LENGTHS = byteLengths();

        private static int[] byteLengths() {
            int[] lengths = new int[TokenizerKind.GPT2.vocabSize()];
            IntArrayList one = new IntArrayList(1);
            one.add(0);
            for (int t = 0; t < GPT2_END_OF_TEXT; t++) {
                one.set(0, t);
                lengths[t] = ENCODING.decodeBytes(one).length;
            }
            lengths[GPT2_END_OF_TEXT] = 1;
            return lengths;
        }
    }
}
