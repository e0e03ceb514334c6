package dev.curlab.eval;

import dev.curlab.util.Rng;
import java.util.Arrays;

/**
 * The percentile bootstrap of a mean (Efron & Tibshirani 1993, ch. 13): resample the n values with
 * replacement B times, take each resample's mean, and read the interval off the sorted means at the
 * (1 − level)/2 and (1 + level)/2 quantiles. The quantile is the inverse of the empirical CDF (the
 * smallest resampled mean m with F(m) ≥ p, order statistic ⌈pB⌉), so with enough resamples it
 * converges to the exact quantile of the discrete distribution of all n^n equally likely resamples.
 * Seeded: the same values, B and seed give the same interval.
 */
public final class Bootstrap {
    /** Resamples used by compare's statistics. */
    public static final int RESAMPLES = 10_000;
    /** The generator seed used by compare's statistics (every comparison uses the same one). */
    public static final long SEED = 0;

    private Bootstrap() {
    }

    /** A two-sided interval [lo, hi]. */
    public record Interval(double lo, double hi) {
        /** True when the interval holds zero: the data do not separate the difference from none. */
        public boolean containsZero() {
            return lo <= 0 && hi >= 0;
        }
    }

    /** The B resampled means of {@code x}, sorted ascending. */
    public static double[] resampledMeans(double[] x, int resamples, long seed) {
        if (x.length == 0 || resamples < 1) {
            throw new IllegalArgumentException("need at least one value and one resample, got " + x.length + " and " + resamples);
        }
        Rng rng = Rng.derive(seed, "bootstrap");
        int n = x.length;
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[rng.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        return means;
    }

    /** The inverse empirical CDF of ascending {@code sorted} at p in (0, 1]: order statistic ⌈p·B⌉. */
    public static double quantile(double[] sorted, double p) {
        int k = (int) Math.ceil(p * sorted.length - 1e-9);    // guard p·B landing a hair above an integer
        return sorted[Math.max(0, Math.min(sorted.length, k) - 1)];
    }

    /** The percentile-bootstrap {@code level} interval (e.g. 0.95) of the mean of {@code x}. */
    public static Interval percentile(double[] x, double level, int resamples, long seed) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double[] means = resampledMeans(x, resamples, seed);
        double tail = (1 - level) / 2;
        return new Interval(quantile(means, tail), quantile(means, 1 - tail));
    }

    /** The 95% interval with compare's resamples and seed. */
    public static Interval percentile95(double[] x) {
        return percentile(x, 0.95, RESAMPLES, SEED);
    }
}
