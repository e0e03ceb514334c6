package dev.curlab.data;

import dev.curlab.util.UserError;

/** Bad input data: names the file (and line, where there is one) and what was expected. */
public final class DataException extends UserError {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
