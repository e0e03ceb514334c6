package dev.curlab.data;

import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows of one held-out data set split into the reward pool D (whose loss rewards the
 * selector) and the fixed evaluation set. The split is deterministic and interleaved: eval takes
 * the windows at indices {@code floor(i * n / evalCount)} for {@code i = 0..evalCount-1}, evenly
 * spread over the whole file, and reward takes the rest. Both keep the input order, are disjoint,
 * and together are the input.
 *
 * @param reward the reward pool D
 * @param eval   the fixed evaluation set
 */
public record HeldoutSplit(List<Window> reward, List<Window> eval) {

    public HeldoutSplit {
        reward = List.copyOf(reward);
        eval = List.copyOf(eval);
    }

    /** Splits {@code all} (at least 2 windows) with {@code 1 <= evalCount < all.size()}. */
    public static HeldoutSplit split(List<Window> all, int evalCount) {
        int n = all.size();
        if (n < 2) {
            throw new UserError("the held-out data has " + n + " window(s); at least 2 are needed to split it into"
                    + " a reward pool and an evaluation set");
        }
        if (evalCount < 1 || evalCount >= n) {
            throw new UserError("the evaluation set size must be in [1, " + (n - 1) + "] for " + n
                    + " held-out windows, got " + evalCount);
        }
        List<Window> reward = new ArrayList<>(n - evalCount);
        List<Window> eval = new ArrayList<>(evalCount);
        int next = 0;   // index i of the next eval pick
        for (int j = 0; j < n; j++) {
            if (next < evalCount && j == (int) ((long) next * n / evalCount)) {
                eval.add(all.get(j));
                next++;
            } else {
                reward.add(all.get(j));
            }
        }
        return new HeldoutSplit(reward, eval);
    }
}
