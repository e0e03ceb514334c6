package dev.curlab.rl;

import dev.curlab.data.Tokenizer;
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

    /**
     * Refuses a bank with a prompt that leaves the policy no room for an answer: one of at least
     * context - 1 tokens (the sampler adds one start token); the error names where the problem came
     * from and its token count. Called once the policy's tokenizer and context are known.
     */
    void checkFits(Tokenizer tokenizer, int context);

    /** The one-line refusal of a prompt of {@code tokens} tokens at {@code where}, or null when it fits. */
    static String tooLong(String where, int tokens, int context) {
        return tokens < context - 1 ? null : where + ": prompt is " + tokens + " tokens; the policy's context of " + context
                + " leaves no room for an answer (prompts must be under " + (context - 1) + " tokens)";
    }

    /** The refusal of the first of {@code problems} whose prompt does not fit ({@link #tooLong}; {@code where} names it), or null. */
    static String firstTooLong(List<Problem> problems, java.util.function.Function<Problem, String> where, Tokenizer tokenizer, int context) {
        for (Problem p : problems) {
            String refusal = tooLong(where.apply(p), tokenizer.encode(p.prompt()).length, context);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** Spec, size and seed, for config.json. */
    String describe();
}
