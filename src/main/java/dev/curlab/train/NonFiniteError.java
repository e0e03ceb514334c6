package dev.curlab.train;

/** A NaN or infinity in a watched quantity stopped the run; the message names the step and quantity. */
public final class NonFiniteError extends RuntimeException {
    public NonFiniteError(String message) {
        super(message);
    }
}
