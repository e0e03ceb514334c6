package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay buffer, the extra Q features and the temperature step, on hand-computed numbers. */
class ReplayAndFeaturesTest {

    @Test
    void bufferKeepsTheNewestAndSamplesItFirst() {
        ReplayBuffer b = new ReplayBuffer(3);
        for (int i = 0; i < 5; i++) {
            b.add(new ReplayBuffer.Transition(new float[] {i}, i, null));
        }
        assertEquals(3, b.size());
        assertArrayEquals(new double[] {2, 3, 4}, b.inOrder().stream().mapToDouble(ReplayBuffer.Transition::r).toArray(), 0);
        Rng rng = new Rng(7);
        for (int t = 0; t < 20; t++) {
            List<ReplayBuffer.Transition> s = b.sample(4, rng);
            assertEquals(4, s.size());
            assertEquals(4, s.get(0).r(), 0, "the newest transition is always in the minibatch");
            s.forEach(x -> assertEquals(true, x.r() >= 2, "only kept transitions are drawn"));
        }
    }

    @Test
    void capacityOneIsThePapersSingleTransition() {
        ReplayBuffer b = new ReplayBuffer(1);
        b.add(new ReplayBuffer.Transition(new float[] {1}, -1, null));
        b.add(new ReplayBuffer.Transition(new float[] {2}, -2, null));
        assertEquals(-2, b.sample(1, new Rng(1)).get(0).r(), 0);
    }

    @Test
    void lossAndEntropyAreZScoredOverTheCandidates() {
        float[] h = {1, 2, 3, 4, 5, 6}; // N = 3, d = 2
        float[] loss = {1, 2, 3};       // mean 2, population std sqrt(2/3) = 0.8164966
        float[] ent = {5, 5, 5};        // std 0: all zeros
        float[] x = CandidateFeatures.build("hidden+loss+entropy", h, loss, ent, 3, 2);
        assertArrayEquals(new float[] {1, 2, -1.2247449f, 0, 3, 4, 0, 0, 5, 6, 1.2247449f, 0}, x, 1e-6f);
        assertArrayEquals(new float[] {1, 2, -1.2247449f, 3, 4, 0, 5, 6, 1.2247449f},
                CandidateFeatures.build("hidden+loss", h, loss, null, 3, 2), 1e-6f);
        assertArrayEquals(h, CandidateFeatures.build("hidden", h, loss, ent, 3, 2), 0);
        assertArrayEquals(new float[] {1, 2, -1.2247449f, 1, 3, 4, 0, 2, 5, 6, 1.2247449f, 3},
                CandidateFeatures.build("hidden+loss+raw", h, loss, null, 3, 2), 1e-6f);
        assertThrows(IllegalStateException.class, () -> CandidateFeatures.build("hidden+loss+entropy", h, loss, null, 3, 2));
        float[] align = {-4, 0, 4};     // mean 0, population std sqrt(32/3) = 3.2659863
        assertArrayEquals(new float[] {1, 2, -1.2247449f, -1.2247449f, 3, 4, 0, 0, 5, 6, 1.2247449f, 1.2247449f},
                CandidateFeatures.build("hidden+loss+align", h, loss, align, 3, 2), 1e-6f);
        assertThrows(IllegalStateException.class, () -> CandidateFeatures.build("hidden+loss+align", h, loss, null, 3, 2));
        assertEquals(4, SoftQConfig.PAPER.inputDim(4));
    }

    @Test
    void emaNormKeepsTheScaleOfShrinkingRewards() {
        // rate 1 / count at first: m = 1, v = 0; then a = 0.5, m = 2, v = 0.5 * (0 + 0.5 * 2^2) = 1: (3 - 2) / 1
        RewardNorm ema = new RewardNorm("ema");
        assertEquals(0.0, ema.apply(1.0), 0, "one reward: no spread yet");
        assertEquals(1.0, ema.apply(3.0), 1e-12);
        // rewards that shrink 100x: the ema-standardised spread stays O(1), the all-time one collapses
        RewardNorm all = new RewardNorm("running");
        RewardNorm moving = new RewardNorm("ema");
        double lastAll = 0;
        double lastEma = 0;
        for (int k = 0; k < 2000; k++) {
            double scale = k < 1000 ? 1.0 : 0.01;
            double r = scale * (k % 2 == 0 ? 1 : -1);
            lastAll = Math.abs(all.apply(r));
            lastEma = Math.abs(moving.apply(r));
        }
        assertTrue(lastAll < 0.05, "all-time std is dominated by the early rewards: " + lastAll);
        assertTrue(lastEma > 0.5, "the moving std follows the small rewards: " + lastEma);
        assertEquals(5.0, new RewardNorm("none").apply(5.0), 0);
    }

    @Test
    void betaStepsTowardsTheTargetEntropy() {
        // too sharp (H/ln N = 0.2 < 0.5): beta * exp(0.05 * 0.3) = 0.1 * 1.0151131 = 0.10151131
        assertEquals(0.10151130646157, SoftQMath.adaptBeta(0.1, 0.2, 0.5, 0.05), 1e-12);
        // too flat: beta shrinks; at the target it stays
        assertEquals(0.1 * Math.exp(-0.05 * 0.4), SoftQMath.adaptBeta(0.1, 0.9, 0.5, 0.05), 1e-15);
        assertEquals(0.1, SoftQMath.adaptBeta(0.1, 0.5, 0.5, 0.05), 0);
        assertEquals(1e-4, SoftQMath.adaptBeta(1e-4, 1.0, 0.0, 1.0), 0, "clamped");
    }
}
