package dev.bitnet.core.model;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.tokenizer.Tokenizer;

import java.nio.file.Path;

/** STUB: the format helper replaces this file. */
public final class RandomModel {
    private RandomModel() { }
    /** Writes a seeded random-weight model of this config (tokenizer must match config.tokenizer()). */
    public static void write(ModelConfig config, Tokenizer tokenizer, long seed, Path out) throws Bit2FormatException { throw new UnsupportedOperationException(); }
}
