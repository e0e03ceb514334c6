package dev.curlab.train;

import dev.curlab.eval.Flops;
import dev.curlab.eval.PassCost;
import dev.curlab.model.GptConfig;
import dev.curlab.select.Selector;

/**
 * What a run's steps cost, known before the run from its configuration and what its selector reads:
 * the same passes the trainer runs and logs and {@link dev.curlab.report.RunData} charges (see
 * {@link Flops}, {@link PassCost}). A compute budget (--budget-flops) becomes the number of steps it affords.
 *
 * <pre>
 *   cost(K) = once + K · perStep + E(K) · onEvalSteps,   E(K) = ceil(K / eval_every)
 * </pre>
 * E(K) counts the steps that end in an evaluation or a checkpoint (every eval_every and every
 * checkpoint_every steps, and the last), where the reward is measured for the log of a selector that
 * does not read it (and so that a checkpoint never keeps a model that was not run after its update).
 * A checkpoint written on a stop request adds one unlogged, uncharged held-out pass (its model check).
 *
 * @param perStep     FLOPs of every step: scoring (with head alignment), update, reward, own model's forward
 * @param onEvalSteps FLOPs added on a step that ends in an evaluation (the logged reward; 0 when measured anyway)
 * @param once        FLOPs spent once (a selector's own model's training)
 * @param evalEvery   --eval-every
 * @param checkpointEvery --checkpoint-every (0 = only at the end)
 */
public record StepCost(double perStep, double onEvalSteps, double once, long evalEvery, long checkpointEvery) {

    /**
     * The cost of a run of {@code cfg} on a model of {@code shape} with {@code selector}.
     *
     * @param paired whether the reward is the paired delta (two held-out passes)
     */
    public static StepCost of(TrainConfig cfg, GptConfig shape, Selector selector, boolean paired) {
        int t = cfg.context();                                         // predictions per window
        int ts = cfg.selectorSettings().scoredPredictions(t);          // of which the scoring pass reads (--score-tokens)
        int n = cfg.candidates();
        int m = cfg.heldoutBatch();
        PassCost lm = PassCost.of(shape, t);
        GptConfig own = selector.ownShape();                           // the IL model's, when smaller than the LM
        PassCost il = own == null ? lm : PassCost.of(own, t);
        boolean align = selector.needsAlignment();
        boolean scores = selector.needs().contains(Selector.Need.SCORES) || selector.needsEntropy() || align;
        boolean reward = selector.needs().contains(Selector.Need.REWARD);
        boolean trunkOnly = !scores && selector.needs().contains(Selector.Need.HIDDEN);
        int examples = selector.examplesPerStep(n, cfg.selectorSettings().selectBatch());
        long scoring = PassCost.tokens(n, ts);                         // the tokens of each pass, as the trainer logs them
        long heldout = PassCost.tokens(m, t);
        long rewardTokens = heldout * (paired ? 2 : 1);
        double perStep = (scores ? lm.forward(scoring) : 0) + lm.train(PassCost.tokens(examples, t))
                + (reward ? lm.forward(rewardTokens) : 0) + il.forward(selector.ownForwardTokensPerStep(n, ts));
        double onEval = reward ? 0 : lm.forward(rewardTokens);
        if (trunkOnly) {                                               // hidden states: the blocks without the head
            perStep += lm.trunk(scoring);
        }
        if (align) {                                                   // as the trainer logs it
            perStep += lm.head(scoring + heldout);
            if (!(paired && reward)) {
                perStep += lm.forward(heldout);                        // the held-out pass run for the alignment alone
            }
            if (paired && !reward) {
                onEval -= lm.forward(heldout);                         // ... which the logged reward reuses
            }
        }
        if (selector.needsGram()) {                                   // N x T head-gradient rows, then the N x N Gram
            perStep += lm.head(PassCost.gramTokens(n, ts));
        }
        double once = il.train(selector.ownTrainTokens());
        return new StepCost(perStep, onEval, once, cfg.evalEvery(), cfg.checkpointEvery());
    }

    /** FLOPs of the first {@code steps} steps. */
    public double total(long steps) {
        return once + steps * perStep + measuredSteps(steps) * onEvalSteps;
    }

    /** Steps among the first {@code steps} that end in an evaluation or a checkpoint (the last one does). */
    long measuredSteps(long steps) {
        long e = evalEvery;
        long c = checkpointEvery;
        if (c <= 0) {
            return steps / e + (steps % e == 0 ? 0 : 1);
        }
        long lcm = e / gcd(e, c) * c;
        boolean lastCounted = steps % e == 0 || steps % c == 0;
        return steps / e + steps / c - steps / lcm + (lastCounted ? 0 : 1);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The most steps whose cost stays within {@code budget} (0 when not even one step fits). */
    public long affordableSteps(double budget) {
        long lo = 0;                                                   // total(lo) <= budget
        long hi = (long) Math.floor(Math.max(0, budget - once) / perStep) + 1;   // total(hi) > budget
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            if (total(mid) <= budget) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
