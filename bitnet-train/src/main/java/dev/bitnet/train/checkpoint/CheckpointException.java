package dev.bitnet.train.checkpoint;

/** A checkpoint directory or tensor file that cannot be read: the message names the file and the problem. */
public final class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
