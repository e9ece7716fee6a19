package dev.bitnet.core.config;

import java.util.Locale;

/** The tokenizers a model can be built for. The model file carries the tokenizer itself. */
public enum TokenizerKind {
    /** Identity over UTF-8 bytes: 256 tokens, no special tokens. */
    BYTES("bytes", 256),
    /** GPT-2's byte-level BPE (r50k_base): 50,257 tokens, {@code <|endoftext|>} = 50256. */
    GPT2("gpt2", 50257);

    private final String id;
    private final int vocabSize;

    TokenizerKind(String id, int vocabSize) {
        this.id = id;
        this.vocabSize = vocabSize;
    }

    /** The name used in files and on the command line ({@code bytes}, {@code gpt2}). */
    public String id() {
        return id;
    }

    /** The vocabulary size a model with this tokenizer must have. */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Parses a tokenizer name.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static TokenizerKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TokenizerKind k : values()) {
            if (k.id.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown tokenizer '" + name + "' (expected bytes or gpt2)");
    }

    @Override
    public String toString() {
        return id;
    }
}
