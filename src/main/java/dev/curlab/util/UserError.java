package dev.curlab.util;

/**
 * A mistake in the user's options or data. The CLI prints its one-line message (no stack trace)
 * and exits with status 2.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws a UserError with {@code message} unless {@code ok}. */
    public static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }
}
