package dev.curlab.bench;

import java.util.Arrays;

/**
 * Median and spread (10th and 90th percentile) of one phase's wall time over the measured steps,
 * with its FLOPs per step and the rate they imply.
 *
 * @param name     phase name
 * @param medianMs median wall time per step
 * @param p10Ms    10th percentile
 * @param p90Ms    90th percentile
 * @param gflop    FLOPs per step of this phase, in GFLOP (0 for phases without model compute)
 */
public record PhaseStats(String name, double medianMs, double p10Ms, double p90Ms, double gflop) {

    public static PhaseStats of(String name, double[] ms, double gflop) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new PhaseStats(name, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9), gflop);
    }

    /** Linear-interpolation quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** This phase as the benches' JSON writes it (gflops null for phases without model compute). */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("median_ms", medianMs);
        m.put("p10_ms", p10Ms);
        m.put("p90_ms", p90Ms);
        m.put("gflop", gflop);
        m.put("gflops", Double.isNaN(gflops()) ? null : gflops());
        return m;
    }

    /** Achieved GFLOP/s at the median time (NaN for phases without model compute). */
    public double gflops() {
        return gflop > 0 && medianMs > 0 ? gflop / (medianMs / 1000.0) : Double.NaN;
    }
}
