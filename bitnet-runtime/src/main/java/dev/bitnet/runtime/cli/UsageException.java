package dev.bitnet.runtime.cli;

/** Bad command-line input: reported as one line and exit code 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
