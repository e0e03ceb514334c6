package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The percentile bootstrap against the exact distribution of all n^n resamples of a tiny sample. */
class BootstrapTest {
    static final double[] X = {0, 1, 5};

    /** All 27 equally likely ordered resamples of X, their means sorted: the exact bootstrap distribution. */
    static double[] exactMeans() {
        double[] m = new double[27];
        int k = 0;
        for (double a : X) {
            for (double b : X) {
                for (double c : X) {
                    m[k++] = (a + b + c) / 3;
                }
            }
        }
        Arrays.sort(m);
        return m;
    }

    /** The smallest atom m of the exact distribution with P(mean <= m) >= p. */
    static double exactQuantile(double p) {
        double[] m = exactMeans();
        for (int i = 0; i < m.length; i++) {
            if ((i + 1) / 27.0 >= p && (i + 1 == m.length || m[i + 1] != m[i])) {
                return m[i];
            }
        }
        return m[m.length - 1];
    }

    @Test
    void intervalsMatchTheExactPercentilesOfAllResamples() {
        // Levels whose tail probabilities lie at least 0.048 from every atom's CDF (0.037, 0.148, 0.259, 0.296, 0.407,
        // 0.630, 0.741, 0.852, 0.963, 1): 10,000 resamples put the empirical CDF within ~0.01 of the exact one.
        for (double level : new double[] {0.95, 0.8, 0.6}) {
            Bootstrap.Interval ci = Bootstrap.percentile(X, level, Bootstrap.RESAMPLES, Bootstrap.SEED);
            assertEquals(exactQuantile((1 - level) / 2), ci.lo(), 1e-12, "lower end at level " + level);
            assertEquals(exactQuantile((1 + level) / 2), ci.hi(), 1e-12, "upper end at level " + level);
        }
        // by hand: 95% is [min, max] (each end has 1/27 > 2.5%); 80% is [1/3, 11/3]; 60% is [2/3, 10/3]
        assertEquals(new Bootstrap.Interval(0, 5), Bootstrap.percentile95(X));
        Bootstrap.Interval i80 = Bootstrap.percentile(X, 0.8, Bootstrap.RESAMPLES, Bootstrap.SEED);
        assertEquals(1.0 / 3, i80.lo(), 1e-12);
        assertEquals(11.0 / 3, i80.hi(), 1e-12);
    }

    @Test
    void resampledMeansFollowTheExactDistribution() {
        double[] mc = Bootstrap.resampledMeans(X, Bootstrap.RESAMPLES, Bootstrap.SEED);
        double[] exact = exactMeans();
        for (double atom : exact) {
            double pExact = Arrays.stream(exact).filter(v -> v <= atom + 1e-12).count() / 27.0;
            double pMc = Arrays.stream(mc).filter(v -> v <= atom + 1e-12).count() / (double) mc.length;
            assertEquals(pExact, pMc, 0.02, "CDF at " + atom);
        }
    }

    @Test
    void seededAndOrderIndependentOfCalls() {
        assertArrayEquals(Bootstrap.resampledMeans(X, 500, 7), Bootstrap.resampledMeans(X, 500, 7));
        assertFalse(Arrays.equals(Bootstrap.resampledMeans(X, 500, 7), Bootstrap.resampledMeans(X, 500, 8)));
    }

    @Test
    void anIntervalHoldingZeroIsNoDifference() {
        assertTrue(Bootstrap.percentile95(new double[] {-1, 2}).containsZero());     // [-1, 2]
        assertFalse(Bootstrap.percentile95(new double[] {1, 2}).containsZero());     // [1, 2]
        assertTrue(new Bootstrap.Interval(0, 3).containsZero());
        assertFalse(new Bootstrap.Interval(-3, -0.001).containsZero());
    }

    @Test
    void quantileIsTheInverseEmpiricalCdf() {
        double[] s = {10, 20, 30, 40};
        assertEquals(10, Bootstrap.quantile(s, 0.25), 0);    // ceil(1) = 1st
        assertEquals(20, Bootstrap.quantile(s, 0.26), 0);    // ceil(1.04) = 2nd
        assertEquals(40, Bootstrap.quantile(s, 1.0), 0);
        assertEquals(10, Bootstrap.quantile(s, 0.01), 0);
    }
}
