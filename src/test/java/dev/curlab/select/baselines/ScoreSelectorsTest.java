package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScoreSelectorsTest {
    // loss is highest at 2, entropy at 0: the two rules must disagree on this batch.
    static final float[] LOSS = {1.0f, 2.5f, 4.0f, 3.0f, 0.5f};
    static final float[] ENTROPY = {5.0f, 1.0f, 2.0f, 4.5f, 3.0f};
    static final CandidateBatch BATCH = Batches.of(0, null, null, LOSS, ENTROPY);

    @Test
    void lossPicksTheHighestLossAndTheTopBInOrder() {
        assertArrayEquals(new int[] {2}, new ScoreSelector(ScoreSelector.Score.LOSS, 1, 1, 0).select(BATCH, new StepMetrics()).train());
        Selection two = new ScoreSelector(ScoreSelector.Score.LOSS, 1, 2, 0).select(BATCH, new StepMetrics());
        assertArrayEquals(new int[] {2, 3}, two.train());
        assertArrayEquals(new float[] {0.5f, 0.5f}, two.weights());
    }

    @Test
    void uncertaintyPicksTheHighestEntropy() {
        StepMetrics m = new StepMetrics();
        assertArrayEquals(new int[] {0}, new ScoreSelector(ScoreSelector.Score.ENTROPY, 1, 1, 0).select(BATCH, m).train());
        assertArrayEquals(new int[] {0, 3}, new ScoreSelector(ScoreSelector.Score.ENTROPY, 1, 2, 0).select(BATCH, new StepMetrics()).train());
        assertEquals(3.1, ((Number) m.get("candidate_entropy_mean")).doubleValue(), 1e-6);
        assertEquals(5.0, ((Number) m.get("candidate_entropy_max")).doubleValue(), 1e-6);
    }

    @Test
    void boltzmannMatchesHandComputedProbabilities() {
        // softmax([0, ln 3] / 1) = [1/4, 3/4]; at T = 0.5: [1, 9] / 10.
        assertArrayEquals(new double[] {0.25, 0.75}, Picks.boltzmann(new double[] {0, Math.log(3)}, 1), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.9}, Picks.boltzmann(new double[] {0, Math.log(3)}, 0.5), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Picks.boltzmann(new double[] {1000, 1000}, 1e-3), 1e-12);
    }

    @Test
    void temperatureSamplingFollowsTheSoftmaxAndDrawsDistinctCandidates() {
        // Two candidates with loss 0 and ln 3 at T = 1: the second is picked 3/4 of the time.
        ScoreSelector s = new ScoreSelector(ScoreSelector.Score.LOSS, 7, 1, 1.0);
        CandidateBatch b = Batches.ofLosses(0, 0f, (float) Math.log(3));
        int second = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            second += s.select(b, new StepMetrics()).train()[0];
        }
        assertEquals(0.75, second / (double) n, 0.03);
        int[] all = Picks.sample(new Rng(3), new double[] {1, 2, 3, 4, 5}, 0.5, 5);
        int[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "sampling B = N must return every candidate once");
    }

    @Test
    void sameSeedSameChoicesAndStateRoundTrips() {
        ScoreSelector a = new ScoreSelector(ScoreSelector.Score.LOSS, 5, 2, 0.7);
        a.select(BATCH, new StepMetrics());
        ScoreSelector b = new ScoreSelector(ScoreSelector.Score.LOSS, 99, 2, 0.7);
        b.restore(a.save());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(a.select(BATCH, new StepMetrics()).train(), b.select(BATCH, new StepMetrics()).train());
        }
    }

    @Test
    void badTemperaturesAreOneLineUserErrors() {
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () ->
                new BaselineConfig(-1, 0, 0.01, 0, "auto", 300, 8, "c", 0, 10, 0.1, 0.2));
        assertEquals("--loss-temperature must be a number >= 0 (0 = take the top score), got -1.0", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () ->
                new BaselineConfig(0, 0, 0, 0, "auto", 300, 8, "c", 0, 10, 0.1, 0.2));
        assertEquals("--competence-c0 must be in (0, 1], got 0.0", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () ->
                new BaselineConfig(0, 0, 0.01, 0, "auto", 300, 8, "c", 0, 10, 0.1, 1.5));
        assertEquals("--alp-epsilon must be in [0, 1], got 1.5", e.getMessage());
        assertTrue(BaselineConfig.DEFAULT.competenceHorizon(77) == 77);
    }
}
