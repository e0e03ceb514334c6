package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQFixtures.batch;
import static dev.curlab.select.softq.SoftQFixtures.hidden;
import static dev.curlab.select.softq.SoftQFixtures.selector;
import static dev.curlab.select.softq.SoftQFixtures.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.curlab.select.CandidateBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --reward-norm: the statistics advance once per step, and a step's rewards share one standardisation. */
class RewardNormTest {

    @Test
    void emaAdvancesOncePerStepAndStandardisesTheStepAgainstTheSameStatistics() {
        RewardNorm n = new RewardNorm("ema");
        // Step 1, rewards (1, 3): rate 1 -> mean 2, variance = the step's own variance 1 -> (-1, 1).
        assertArrayEquals(new double[] {-1, 1}, n.apply(new double[] {1, 3}), 1e-12);
        // Step 2, rewards (0, 4): step mean 2, step variance 4, rate 1/2:
        // mean 2 + 0.5 * 0 = 2; var = 0.5 * (1 + 0.5 * 0) + 0.5 * 4 = 2.5 -> (-2, 2) / sqrt(2.5).
        double s = Math.sqrt(2.5);
        assertArrayEquals(new double[] {-2 / s, 2 / s}, n.apply(new double[] {0, 4}), 1e-12);
        // Step 3, one reward 5 (pick credit): rate 1/3, delta 3: mean 3; var = (2/3) (2.5 + 9/3) = 11/3 -> 2 / sqrt(11/3).
        assertArrayEquals(new double[] {2 / Math.sqrt(11.0 / 3)}, n.apply(new double[] {5}), 1e-12);
        Map<String, Object> saved = n.save();
        assertEquals(3L, saved.get("ema_count"), "three steps, seven rewards: the horizon counts steps");
        assertEquals(3.0, (Double) saved.get("ema_mean"), 1e-12);
        assertEquals(11.0 / 3, (Double) saved.get("ema_var"), 1e-12);
    }

    @Test
    void emaRateReachesOneHundredthAfterOneHundredStepsWhateverN() {
        RewardNorm n = new RewardNorm("ema");
        for (int k = 0; k < 100; k++) {
            n.apply(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // N = 16
        }
        // From now on the rate is EMA_RATE: a step of 16 rewards equal to 1 moves the mean by 0.01.
        n.apply(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertEquals(RewardNorm.EMA_RATE, (Double) n.save().get("ema_mean"), 1e-12);
    }

    @Test
    void runningTakesInTheWholeStepBeforeStandardising() {
        RewardNorm n = new RewardNorm("running");
        // mean 2, population std sqrt(2/3) over (1, 2, 3), the same for all three.
        double s = Math.sqrt(2.0 / 3);
        assertArrayEquals(new double[] {-1 / s, 0, 1 / s}, n.apply(new double[] {1, 2, 3}), 1e-12);
        // then 4 alone: mean 2.5, population variance 1.25 -> 1.5 / sqrt(1.25)
        assertArrayEquals(new double[] {1.5 / Math.sqrt(1.25)}, n.apply(new double[] {4}), 1e-12);
        assertArrayEquals(new double[] {7, -1}, new RewardNorm("none").apply(new double[] {7, -1}), 0);
    }

    /** First-order credit: the N alignments of step 0 are standardised together, by the step's own mean and spread. */
    @Test
    void firstOrderCreditStandardisesTheCandidatesOfAStepTogether() {
        int n = 4;
        int d = 4;
        SoftQConfig cfg = SoftQConfig.builder().beta(0.1).gamma(0.0).tau(0.01).qLr(0.01).qClip(1.0).qHidden(16)
                .qOptimizer("adam").softMixture(false).rewardNorm("ema").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(64).tdUpdates(1).replayBatch(4)
                .targetEntropy(0.0).credit("first-order").prior("none").paperExact(false).nstep(1).build();
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, n, d, 4)) {
            CandidateBatch b = batch(m, 0, hidden(7, n, d), n, d);
            float[] a = {0.5f, -2f, 1.5f, 0f};                       // mean 0, population variance 6.5 / 4
            step(s, new CandidateBatch(0, b.windows(), b.loss(), b.entropy(), b.hidden(), a), 0.0);
            double sd = Math.sqrt(6.5 / 4);
            @SuppressWarnings("unchecked")
            List<Double> r = (List<Double>) s.save().values().get("r_prev");
            assertArrayEquals(new double[] {0.5 / sd, -2 / sd, 1.5 / sd, 0}, r.stream().mapToDouble(Double::doubleValue).toArray(), 1e-6);
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = (Map<String, Object>) s.save().values().get("reward_stats");
            assertEquals(1L, stats.get("ema_count"), "one step, one update of the statistics");
        }
    }
}
