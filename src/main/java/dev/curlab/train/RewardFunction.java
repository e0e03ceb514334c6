package dev.curlab.train;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.Window;
import dev.curlab.model.StepScores;
import dev.curlab.model.WindowScorer;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward of eq. 1: r_k = (1/M) log p_theta_{k+1}(D^_k), the mean held-out log-probability of a
 * fresh random subset D^_k of size M, measured after the update. Reported per token (the paper's
 * per-example sum differs by the constant factor T).
 */
final class RewardFunction {
    private final List<Window> pool;
    private final int m;
    private final Rng rng;

    RewardFunction(List<Window> pool, int m, Rng rng) {
        this.pool = pool;
        this.m = m;
        this.rng = rng;
    }

    Rng rng() {
        return rng;
    }

    /** Draws D^_k (M distinct windows of the pool). */
    List<int[]> drawSubset() {
        int[] idx = rng.sampleWithoutReplacement(pool.size(), m);
        List<int[]> subset = new ArrayList<>(m);
        for (int i : idx) {
            subset.add(pool.get(i).tokens());
        }
        return subset;
    }

    /** Mean log-probability per token of {@code subset} under the current parameters. */
    double logProb(WindowScorer scorer, NDManager step, List<int[]> subset) {
        return StepScores.meanLogProb(scorer.score(step, subset, false, false).loss());
    }
}
