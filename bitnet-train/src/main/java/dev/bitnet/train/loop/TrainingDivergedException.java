package dev.bitnet.train.loop;

/** The run stopped because updates kept producing non-finite losses or gradients. */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
