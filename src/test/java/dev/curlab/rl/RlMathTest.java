package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** GRPO advantages, zero-variance accounting, the loss weights and the learnability score, against hand-computed numbers. */
class RlMathTest {

    @Test
    void advantagesAreNormalisedWithinTheGroup() {
        // rewards 1,0,0,1: mean 0.5, population std 0.5 -> +-0.5 / (0.5 + 1e-6)
        assertArrayEquals(new double[] {0.999998, -0.999998, -0.999998, 0.999998},
                Grpo.advantages(new double[] {1, 0, 0, 1}), 1e-6);
        // rewards 1,0,0,0: mean 0.25, std sqrt(3/16) = 0.4330127 -> 0.75/0.4330137 = 1.7320468, -0.25/0.4330137 = -0.5773489
        assertArrayEquals(new double[] {1.7320468, -0.5773489, -0.5773489, -0.5773489},
                Grpo.advantages(new double[] {1, 0, 0, 0}), 1e-6);
        // a constant group: all zero
        assertArrayEquals(new double[] {0, 0, 0}, Grpo.advantages(new double[] {1, 1, 1}), 0);
    }

    @Test
    void zeroVarianceGroupsContributeNothingAndAreCounted() {
        double[][] rewards = {{1, 1, 1}, {0, 1, 0}, {0, 0, 0}};
        List<int[]> prompts = List.of(new int[] {256, 1}, new int[] {256, 1}, new int[] {256, 1}, new int[] {256, 2},
                new int[] {256, 2}, new int[] {256, 2}, new int[] {256, 3}, new int[] {256, 3}, new int[] {256, 3});
        List<int[]> completions = List.of(new int[] {5}, new int[] {5}, new int[] {5}, new int[] {6}, new int[] {7},
                new int[] {8}, new int[] {9}, new int[] {9}, new int[] {9});
        RlStepOutcome out = RlStepOutcome.of(rewards, prompts, completions);
        assertEquals(2, out.zeroVarianceGroups());
        assertArrayEquals(new int[] {3, 1, 0}, out.successes());
        assertEquals(3, out.samples().size()); // only the mixed group's three completions
        // group {0,1,0}: mean 1/3, std sqrt(2/9) = 0.4714045 -> -0.7071053, 1.4142106, -0.7071053
        assertEquals(-0.7071053, out.samples().get(0).advantage(), 1e-6);
        assertEquals(1.4142106, out.samples().get(1).advantage(), 1e-6);
        assertArrayEquals(new int[] {7}, out.samples().get(1).completion());
        assertEquals(4.0 / 9, out.rewardMean(), 1e-12);
    }

    @Test
    void lossWeightsSitOnCompletionTargetsOnly() {
        // prompt [a b] completion [c d] (adv 2), prompt [a] completion [e] (adv -1); 3 completion tokens; L = 4
        List<PolicyLoss.Sample> s = List.of(new PolicyLoss.Sample(new int[] {1, 2}, new int[] {3, 4}, 2),
                new PolicyLoss.Sample(new int[] {1}, new int[] {5}, -1));
        assertEquals(4, PolicyLoss.length(s));
        assertEquals(3, PolicyLoss.completionTokens(s));
        // row 0 targets: 2, 3, 4 -> weights 0, 2/3, 2/3; row 1 targets: 5, pad, pad -> -1/3, 0, 0
        assertArrayEquals(new float[] {0, 2f / 3, 2f / 3, -1f / 3, 0, 0}, PolicyLoss.weights(s, 4, 3), 1e-7f);
    }

    @Test
    void learnabilityScoreAndItsDecayedCounts() {
        assertEquals(0.25, Grpo.learnability(0.5), 0);
        assertEquals(0.09, Grpo.learnability(0.9), 1e-12);
        assertEquals(0, Grpo.learnability(1), 0);
        LearnabilityHistoryCurator c = new LearnabilityHistoryCurator();
        Problem p = new Problem(0, "add", "1+1=", "2", java.util.Map.of("digits", 1.0));
        assertEquals(0.5, c.p(p.bucket()), 0); // Beta(1,1) prior
        c.observe(List.of(p), new int[] {3}, 4);                 // s = 3, n = 4 -> p = 4/6
        assertEquals(4.0 / 6, c.p(p.bucket()), 1e-12);
        c.observe(List.of(p), new int[] {1}, 4);                 // s = 0.9*3+1 = 3.7, n = 0.9*4+4 = 7.6 -> p = 4.7/9.6
        assertEquals(4.7 / 9.6, c.p(p.bucket()), 1e-12);
        // the state survives save/restore through JSON values
        LearnabilityHistoryCurator d = new LearnabilityHistoryCurator();
        d.restore(c.save());
        assertEquals(c.p(p.bucket()), d.p(p.bucket()), 0);
    }

    @Test
    void learnabilityPrefersUncertainBucketsOverSolvedOnes() {
        LearnabilityHistoryCurator c = new LearnabilityHistoryCurator();
        Problem solved = new Problem(0, "add", "1+1=", "2", java.util.Map.of("digits", 1.0));
        Problem open = new Problem(1, "add", "11+11=", "22", java.util.Map.of("digits", 2.0));
        for (int i = 0; i < 20; i++) {
            c.observe(List.of(solved, open), new int[] {8, 4}, 8);
        }
        // p(solved) ~ 0.99 -> score ~0.01 (+ floor); p(open) = 0.5 -> 0.25: expect open picked first in most draws
        int openFirst = 0;
        dev.curlab.util.Rng rng = new dev.curlab.util.Rng(1);
        for (int t = 0; t < 200; t++) {
            openFirst += c.pick(t, List.of(solved, open), 1, rng)[0] == 1 ? 1 : 0;
        }
        assertTrue(openFirst > 180, "open bucket first in " + openFirst + " of 200");
    }
}
