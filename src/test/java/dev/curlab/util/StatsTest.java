package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one mean and standard deviations, on hand-computed numbers, and summed in the order the callers' loops used. */
class StatsTest {
    @Test
    void handComputedValues() {
        double[] v = {1, 2, 3, 4};
        assertEquals(2.5, Stats.mean(v), 0);
        // squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5
        assertEquals(Math.sqrt(5.0 / 3), Stats.sampleSd(v), 0);
        assertEquals(Math.sqrt(5.0 / 4), Stats.populationSd(v), 0);
        assertEquals(Math.sqrt(5.0 / 4), Stats.populationSd(new float[] {1, 2, 3, 4}), 0);
        assertEquals(2.5, Stats.mean(new float[] {1, 2, 3, 4}), 0);
        assertEquals(3.5, Stats.mean(new double[][] {{1, 2}, {3}, {8}}), 0);     // 14 / 4, not the mean of row means
    }

    @Test
    void edges() {
        assertTrue(Double.isNaN(Stats.mean(new double[0])));
        assertTrue(Double.isNaN(Stats.sampleSd(new double[] {3})));
        assertEquals(0.0, Stats.populationSd(new double[] {3}), 0);
    }

    @Test
    void sumsLeftToRightInDoubleSoCallersAreBitIdentical() {
        java.util.Random r = new java.util.Random(7);
        float[] f = new float[101];
        double[] d = new double[101];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextGaussian() * 1e3);
            d[i] = r.nextGaussian() * 1e-3 + 1e6;
        }
        double s = 0;
        for (float x : f) {
            s += x;
        }
        assertEquals(s / f.length, Stats.mean(f), 0);
        double m = 0;
        for (double x : d) {
            m += x;
        }
        m /= d.length;
        double ss = 0;
        for (double x : d) {
            ss += (x - m) * (x - m);
        }
        assertEquals(m, Stats.mean(d), 0);
        assertEquals(Math.sqrt(ss / (d.length - 1)), Stats.sampleSd(d), 0);
        assertEquals(Math.sqrt(ss / d.length), Stats.populationSd(d), 0);
    }
}
