package dev.bitnet.compact.tokenizer;

import dev.bitnet.core.tokenizer.Gpt2Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GPT-2's r50k_base tokenizer (50,257 tokens), read from the rank file that jtokkit ships as a
 * resource; no download. Loaded once, on first use.
 */
public final class R50kBase {

    /** Where jtokkit keeps the rank file on the classpath. */
    public static final String RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";

    private static final class Holder {
        static final Gpt2Tokenizer TOKENIZER = load();
    }

    private R50kBase() {
    }

    /**
     * The tokenizer.
     *
     * @throws IllegalStateException if jtokkit's rank file is not on the classpath
     */
    public static Gpt2Tokenizer tokenizer() {
        return Holder.TOKENIZER;
    }

    private static Gpt2Tokenizer load() {
        try (InputStream in = R50kBase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("r50k_base rank file " + RESOURCE
                        + " is not on the classpath: is the jtokkit jar missing?");
            }
            return Gpt2Tokenizer.fromTiktoken(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
