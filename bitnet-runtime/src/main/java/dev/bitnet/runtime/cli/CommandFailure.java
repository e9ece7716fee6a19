package dev.bitnet.runtime.cli;

/** A command failed for a reason its message names (not bad input): reported as one line and exit code 1. */
final class CommandFailure extends Exception {

    CommandFailure(String message) {
        super(message);
    }
}
