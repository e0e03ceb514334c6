package dev.curlab.rl;

import dev.curlab.util.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps 3-4 of one RL step in numbers: each picked problem's G rewards, its GRPO advantages and
 * whether its group had zero variance; and the samples that carry signal (the update's batch).
 * {@code acc} is each rollout's binary accuracy (the verifier's), kept apart from the reward the
 * policy trains on: successes (what curators observe) count acc, advantages use the reward.
 */
public record RlStepOutcome(double[][] rewards, int[] successes, int zeroVarianceGroups, List<PolicyLoss.Sample> samples,
        double[][] acc) {

    /** The outcome of a run without a shaped reward: the reward is the acc. */
    public static RlStepOutcome of(double[][] rewards, List<int[]> prompts, List<int[]> completions) {
        return of(rewards, rewards, prompts, completions);
    }

    /**
     * Groups the rewards of B problems x G completions and builds the update's samples: a group with
     * zero variance contributes nothing (and is counted); the others give A_i = (r_i - mean)/(std + eps).
     */
    public static RlStepOutcome of(double[][] acc, double[][] rewards, List<int[]> prompts, List<int[]> completions) {
        int b = rewards.length;
        int g = rewards[0].length;
        int[] successes = new int[b];
        int zero = 0;
        List<PolicyLoss.Sample> samples = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            for (double a : acc[i]) {
                successes[i] += a >= 1 ? 1 : 0;
            }
            if (Grpo.zeroVariance(rewards[i])) {
                zero++;
                continue;
            }
            double[] a = Grpo.advantages(rewards[i]);
            for (int j = 0; j < g; j++) {
                samples.add(new PolicyLoss.Sample(prompts.get(i * g + j), completions.get(i * g + j), a[j]));
            }
        }
        return new RlStepOutcome(rewards, successes, zero, samples, acc);
    }

    public double rewardMean() {
        return Stats.mean(rewards);
    }

    /** The share of rollouts whose answer was right. */
    public double accMean() {
        return Stats.mean(acc);
    }

}
