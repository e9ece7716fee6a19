package dev.bitnet.runtime;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced the tokenizer's end-of-text token (not part of the output). */
    END_OF_TEXT,
    /** The output reached one of the stop strings (the stop string is not part of the output). */
    STOP_STRING,
    /** The maximum number of new tokens was reached. */
    MAX_TOKENS,
    /** {@link Session#cancel()} was called from another thread. */
    CANCELLED
}
