package dev.curlab.util;

/**
 * The mean and standard deviations every table and metric uses, over {@code double[]} and
 * {@code float[]}. Sums run left to right in double precision, one pass for the mean and a second for
 * the squared deviations, so a caller's numbers are bit for bit what its own loop gave. An empty array
 * has mean NaN (0 / 0).
 */
public final class Stats {
    private Stats() {
    }

    /** (1/n) sum x_i. */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** (1/n) sum x_i, summed in double. */
    public static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The mean of every value of every row, row by row. */
    public static double mean(double[][] rows) {
        double s = 0;
        int n = 0;
        for (double[] row : rows) {
            for (double x : row) {
                s += x;
                n++;
            }
        }
        return s / n;
    }

    /** Sample standard deviation, sqrt(sum (x_i - mean)^2 / (n - 1)); NaN for fewer than two values. */
    public static double sampleSd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        return Math.sqrt(squaredDeviations(v, mean(v)) / (v.length - 1));
    }

    /** Population standard deviation, sqrt(sum (x_i - mean)^2 / n). */
    public static double populationSd(double[] v) {
        return Math.sqrt(squaredDeviations(v, mean(v)) / v.length);
    }

    /** Population standard deviation of floats, summed in double. */
    public static double populationSd(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double squaredDeviations(double[] v, double m) {
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s;
    }
}
