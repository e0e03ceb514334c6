package dev.curlab.select.softq;

/**
 * A NaN or infinite Q-value or TD loss; the message names the step and the quantity. (The select
 * package may not depend on train, so this is not {@code train.NonFiniteError}; the CLI maps both to
 * the same exit code.)
 */
public final class NonFiniteQError extends IllegalStateException {
    public NonFiniteQError(String message) {
        super(message);
    }
}
