package dev.curlab.data;

/**
 * An endless stream of fixed-length context windows. Within one epoch every window is handed out
 * at most once; when a finite source is exhausted it starts its next epoch from the beginning.
 *
 * <p>The stream is deterministic: the same spec and seed yield the same windows in the same order,
 * so a stream is checkpointed by its {@link #position()} and restored by {@link #skipTo(long)}.
 */
public interface DataSource extends AutoCloseable {

    /** The next window. Throws {@link DataException} for unreadable or malformed input. */
    Window next();

    /** Windows handed out so far (over all epochs). */
    long position();

    /** Completed passes over a finite source (always 0 for generated streams). */
    int epoch();

    /** Advance a freshly opened stream until {@link #position()} equals {@code position}. */
    default void skipTo(long position) {
        if (position < position()) {
            throw new IllegalStateException("cannot rewind a stream from " + position() + " to " + position);
        }
        while (position() < position) {
            next();
        }
    }

    /** Human-readable description, e.g. the spec and tokenizer. */
    String describe();

    @Override
    default void close() {
    }
}
