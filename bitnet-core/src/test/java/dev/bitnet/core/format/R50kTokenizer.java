package dev.bitnet.core.format;

import dev.bitnet.core.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test fixture: the real r50k_base tokenizer, from jtokkit's rank file (a test dependency of core). */
public final class R50kTokenizer {

    private static final String RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";

    private static final class Holder {
        static final Gpt2Tokenizer TOKENIZER = load();
    }

    private R50kTokenizer() {
    }

    /** The tokenizer, loaded once. */
    public static Gpt2Tokenizer get() {
        return Holder.TOKENIZER;
    }

    private static Gpt2Tokenizer load() {
        try (InputStream in = R50kTokenizer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath (jtokkit)");
            }
            return Gpt2Tokenizer.fromTiktoken(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
