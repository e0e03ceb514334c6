package dev.curlab.serve;

/** A request the service refuses: an HTTP status and a one-line reason; the state is unchanged. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiError bad(String reason) {
        return new ApiError(400, reason);
    }

    static ApiError unprocessable(String reason) {
        return new ApiError(422, reason);
    }
}
