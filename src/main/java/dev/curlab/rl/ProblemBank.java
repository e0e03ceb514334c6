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

    /**
     * The problem as a point in its generator's parameter space (what ALP-GMM fits): by default its
     * numeric {@code params} in name order (empty when it has none); a builtin bank scales its own.
     */
    default double[] taskParams(Problem p) {
        return p.params().values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Spec, size and seed, for config.json. */
    String describe();
}
