package dev.bitnet.runtime;

/**
 * Receives generated text as it is decoded. Pieces never split a UTF-8 character, and text
 * that might be the start of a stop string is held back until it is known not to be.
 * Called on the generating thread.
 */
@FunctionalInterface
public interface GenerationListener {

    /** A listener that ignores everything. */
    GenerationListener NONE = piece -> {
    };

    /** The next piece of output text (never empty). */
    void onText(String piece);
}
