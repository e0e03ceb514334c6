package dev.curlab.rl;

import dev.curlab.util.Stats;

/**
 * The group-relative maths of GRPO (Shao et al. 2024) as pure functions: each problem's G rewards
 * are normalised within their group, so a group whose rewards are all equal (all solved or none)
 * gets zero advantage everywhere and carries no learning signal.
 */
public final class Grpo {
    /** eps of (r - mean) / (std + eps). */
    public static final double EPS = 1e-6;

    private Grpo() {
    }

    /** A_i = (r_i - mean(r)) / (std(r) + eps), std the population standard deviation of the group. */
    public static double[] advantages(double[] rewards) {
        int g = rewards.length;
        double mean = Stats.mean(rewards);
        double std = Stats.populationSd(rewards);
        double[] a = new double[g];
        for (int i = 0; i < g; i++) {
            a[i] = (rewards[i] - mean) / (std + EPS);
        }
        return a;
    }

    /** True when every reward of the group is equal (its advantages are all zero). */
    public static boolean zeroVariance(double[] rewards) {
        for (double r : rewards) {
            if (r != rewards[0]) {
                return false;
            }
        }
        return true;
    }

    /** Learnability of a problem with success rate p: p (1 - p), the variance of its 0/1 reward. */
    public static double learnability(double p) {
        return p * (1 - p);
    }
}
