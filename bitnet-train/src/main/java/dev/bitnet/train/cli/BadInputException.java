package dev.bitnet.train.cli;

/** Input the user must fix (an option, a data path, a config file, a run directory): exit code 2. */
final class BadInputException extends RuntimeException {

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
