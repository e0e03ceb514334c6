package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.curlab.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * Sampling several candidates without replacement from softmax(score / T) when the scores are far
 * apart on the scale of T: every weight but the top one underflows to zero, and the later draws must
 * still come from the candidates left (the T -> 0 limit: highest remaining score first).
 */
class PicksUnderflowTest {

    @Test
    void drawsAfterTheTopOneFollowTheRemainingScoresWhenTheirWeightsUnderflow() {
        // exp(-1000) underflows: p = (1, 0, 0, 0); the old code then failed with "all weights are zero".
        double[] score = {0, -1000, -3000, -2000};
        assertArrayEquals(new int[] {0, 1, 3, 2}, Picks.sample(new Rng(1), score, 1.0, 4));
        // A tiny temperature (--loss-temperature 1e-300) on ordinary losses.
        double[] losses = {3.1, 5.2, 4.0, 4.7};
        assertArrayEquals(new int[] {1, 3, 2}, Picks.sample(new Rng(2), losses, 1e-300, 3));
    }

    @Test
    void ordinaryTemperaturesDrawAsBefore() {
        // Weights that do not underflow: the same draws as sampling by the full softmax each time.
        double[] score = {1.0, 1.5, 0.5, 2.0};
        Rng a = new Rng(7);
        Rng b = new Rng(7);
        int[] got = Picks.sample(a, score, 0.7, 3);
        double[] p = Picks.boltzmann(score, 0.7);
        int[] expected = new int[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = b.nextCategorical(p);
            p[expected[i]] = 0;
        }
        assertArrayEquals(expected, got);
    }
}
