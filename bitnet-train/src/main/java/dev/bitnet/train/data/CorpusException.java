package dev.bitnet.train.data;

import java.io.IOException;

/**
 * A training or validation input that cannot be used: a missing path, an empty corpus, invalid
 * UTF-8, a corrupt archive, a JSONL line without {@code text}, a token shard with a wrong header or
 * out-of-vocabulary tokens. The message names the file (and line or byte offset where it applies)
 * and is meant to be shown to the user as it is.
 */
public final class CorpusException extends IOException {

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
