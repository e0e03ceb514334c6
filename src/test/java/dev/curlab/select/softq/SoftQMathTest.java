package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The paper's equations against numbers computed by hand (3 candidates). */
class SoftQMathTest {

    @Test
    void softValuePolicyAndTargetOnThreeCandidates() {
        double[] q = {1, 2, 3};
        double beta = 0.5;
        // q / beta = 2, 4, 6: V = 0.5 * (6 + ln(1 + e^-2 + e^-4)) = 0.5 * (6 + ln 1.1536509) = 3.0714658
        assertEquals(3.0714658142499496, SoftQMath.softValue(q, beta), 1e-12);
        // pi = e^(q/beta) / sum: (e^-4, e^-2, 1) / 1.1536509
        assertArrayEquals(new double[] {0.015876239976466765, 0.11731042782619838, 0.8668133321973349},
                SoftQMath.boltzmann(q, beta), 1e-12);
        // y = (1 - 0.9) * (-2) + 0.9 * 3.0714658 = 2.5643192
        assertEquals(2.5643192328249547, SoftQMath.tdTarget(-2, 3.0714658142499496, 0.9), 1e-12);
        assertEquals(0.5 * 0.25, SoftQMath.tdLoss(1.5, 2.0), 1e-15);
        // gamma = 0 (contextual bandit): y = r
        assertEquals(-2, SoftQMath.tdTarget(-2, 3.07, 0), 0);
    }

    @Test
    void largeQOverBetaDoesNotOverflow() {
        double[] q = {1000, 1000, 999.99};
        double beta = 0.01; // q / beta = 1e5: exp would overflow without the max shift
        // V = 1000 + 0.01 ln(2 + e^-1) = 1000 + 0.01 * 0.8619948
        assertEquals(1000.0086199480406, SoftQMath.softValue(q, beta), 1e-9);
        // pi = (1, 1, e^-1) / (2 + e^-1)
        assertArrayEquals(new double[] {0.42231879825145857, 0.42231879825145857, 0.15536240349708297},
                SoftQMath.boltzmann(q, beta), 1e-9);
        double[] extreme = SoftQMath.boltzmann(new double[] {0, 0, 50, 0}, 0.01);
        assertArrayEquals(new double[] {0, 0, 1, 0}, extreme, 0);
        assertEquals(50, SoftQMath.softValue(new double[] {0, 0, 50, 0}, 0.01), 1e-12);
    }

    @Test
    void uniformQGivesTheEntropyBonusAndTheFixedPoint() {
        // Equal Q-values c: V = c + beta ln N, and Q* = r + gamma beta ln N / (1 - gamma) solves eq. 3.
        double r = -2;
        double gamma = 0.5;
        double beta = 0.5;
        double c = SoftQMath.fixedPoint(r, gamma, beta, 3);
        assertEquals(-2 + 0.5 * Math.log(3), c, 1e-12);
        double v = SoftQMath.softValue(new double[] {c, c, c}, beta);
        assertEquals(c + beta * Math.log(3), v, 1e-12);
        assertEquals(c, SoftQMath.tdTarget(r, v, gamma), 1e-12);
    }

    @Test
    void polyakIsTheConvexCombination() {
        assertEquals(0.3 * 2 + 0.7 * 10, SoftQMath.polyak(2, 10, 0.3), 1e-15);
        assertEquals(2, SoftQMath.polyak(2, 10, 1), 0);
    }

    @Test
    void entropyEffectiveExamplesAndFloor() {
        double[] pi = {0.5, 0.25, 0.25};
        assertEquals(1 / (0.25 + 0.0625 + 0.0625), SoftQMath.effectiveExamples(pi), 1e-12); // 2.6667
        assertEquals(1.5 * Math.log(2), SoftQMath.entropy(pi), 1e-12);                      // 0.5 ln2 + 2 * 0.25 ln4
        assertEquals(3, SoftQMath.effectiveExamples(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}), 1e-12);
        double[] floored = SoftQMath.exploreFloor(new double[] {1, 0, 0, 0}, 0.2);
        assertArrayEquals(new double[] {0.85, 0.05, 0.05, 0.05}, floored, 1e-12);
        assertEquals(1, Arrays.stream(floored).sum(), 1e-12);
    }

    @Test
    void gumbelTopKDrawsDistinctIndicesWithTheRightFirstMarginal() {
        double[] pi = {0.1, 0.6, 0.3};
        Rng rng = new Rng(7);
        int[] first = new int[3];
        int draws = 20000;
        for (int t = 0; t < draws; t++) {
            int[] a = SoftQMath.gumbelTopK(pi, 2, rng);
            assertTrue(a[0] != a[1], "indices must be distinct");
            first[a[0]]++;
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(pi[i], first[i] / (double) draws, 0.015, "first draw of index " + i);
        }
    }
}
