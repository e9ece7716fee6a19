package dev.bitnet.train.cli;

/**
 * Input the user must fix (an option, a data path, a config file, a run directory, a checkpoint
 * that cannot be exported): one line and exit code {@value CliConventions#BAD_INPUT}.
 */
public final class BadInputException extends RuntimeException {

    /** Bad input described by {@code message}, which names the option, file or value. */
    public BadInputException(String message) {
        super(message);
    }

    /** Bad input described by {@code message}, found as {@code cause}. */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
