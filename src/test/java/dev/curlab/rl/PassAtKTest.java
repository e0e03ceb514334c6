package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pass@k estimator against hand-computed values and against counting k-subsets one by one. */
class PassAtKTest {

    @Test
    void handComputedValues() {
        assertEquals(0.4, PassAtK.estimate(5, 2, 1), 1e-15);              // c/n
        assertEquals(0.7, PassAtK.estimate(5, 2, 2), 1e-15);              // 1 - C(3,2)/C(5,2) = 1 - 3/10
        assertEquals(0.9, PassAtK.estimate(5, 2, 3), 1e-15);              // 1 - C(3,3)/C(5,3) = 1 - 1/10
        assertEquals(1.0, PassAtK.estimate(5, 2, 4), 0);                  // n-c = 3 < k: every 4-subset holds a correct one
        assertEquals(0.0, PassAtK.estimate(5, 0, 2), 0);
        assertEquals(0.0, PassAtK.estimate(1, 0, 1), 0);
        assertEquals(1.0, PassAtK.estimate(1, 1, 1), 0);
        assertEquals(1.0, PassAtK.estimate(5, 5, 5), 0);
        assertEquals(5.0 / 6, PassAtK.estimate(4, 2, 2), 1e-15);         // 1 - C(2,2)/C(4,2) = 1 - 1/6
    }

    @Test
    void withKEqualToNItIsWhetherAnySampleIsCorrect() {
        for (int n = 1; n <= 8; n++) {
            assertEquals(0.0, PassAtK.estimate(n, 0, n), 0);
            for (int c = 1; c <= n; c++) {
                assertEquals(1.0, PassAtK.estimate(n, c, n), 0);
            }
        }
    }

    /** Every k-subset of n samples (c of them correct, the first c) enumerated as a bit mask; the share holding a correct one. */
    static double bruteForce(int n, int c, int k) {
        long subsets = 0;
        long hit = 0;
        int correctMask = (1 << c) - 1;
        for (int s = 0; s < 1 << n; s++) {
            if (Integer.bitCount(s) == k) {
                subsets++;
                if ((s & correctMask) != 0) {
                    hit++;
                }
            }
        }
        return (double) hit / subsets;
    }

    @Test
    void agreesWithEnumeratingEveryKSubset() {
        for (int n = 1; n <= 12; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    assertEquals(bruteForce(n, c, k), PassAtK.estimate(n, c, k), 1e-12, "n=" + n + " c=" + c + " k=" + k);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theMeanOverProblemsWeighsEachProblemOnce(long seed) {
        Rng rng = new Rng(seed);
        int n = 6;
        long[] hist = new long[n + 1];
        double sum = 0;
        int problems = 40;
        int k = 1 + rng.nextInt(n);
        for (int p = 0; p < problems; p++) {
            int c = rng.nextInt(n + 1);
            hist[c]++;
            sum += bruteForce(n, c, k);
        }
        assertEquals(sum / problems, PassAtK.mean(hist, k), 1e-12);
    }

    @Test
    void largeNStaysFiniteAndMonotoneInK() {
        assertEquals(3.0 / 2000, PassAtK.estimate(2000, 3, 1), 1e-15);
        double prev = 0;
        for (int k = 1; k <= 1997; k++) {
            double v = PassAtK.estimate(2000, 3, k);                           // C(2000, 1000) ~ 1e600 would overflow a double
            assertTrue(v >= prev && v <= 1 && Double.isFinite(v), "k=" + k + ": " + v);
            prev = v;
        }
        assertEquals(1.0, PassAtK.estimate(2000, 3, 1998), 0);
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(2, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(2, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(2, 1, 0));
    }
}
