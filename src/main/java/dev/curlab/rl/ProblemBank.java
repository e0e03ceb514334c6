package dev.curlab.rl;

import java.util.List;

/**
 * A stream of training problems (endless; a finite user bank cycles through seeded reshuffles) and
 * a fixed held-out set that is never handed to a curator. Deterministic: the same spec and seed give
 * the same problems, so a stream is checkpointed by {@link #position()}.
 */
public interface ProblemBank {

    /** The next training problem. */
    Problem next();

    /** Problems handed out so far. */
    long position();

    /** Advances a freshly opened bank until {@link #position()} equals {@code position}. */
    default void skipTo(long position) {
        while (position() < position) {
            next();
        }
    }

    /** The held-out problems of greedy pass@1 evaluation (fixed, disjoint from selection). */
    List<Problem> heldout();

    /** Spec, size and seed, for config.json. */
    String describe();
}
