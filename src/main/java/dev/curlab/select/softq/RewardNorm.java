package dev.curlab.select.softq;

import java.util.Map;

/**
 * Reward standardisation before eq. 3 (not in the paper): none, running (mean and std of every reward
 * so far, {@link RunningStats}) or ema (exponential moving mean and variance, so the scale follows the
 * rewards as they shrink over training and the differences between candidates keep their size
 * relative to beta).
 *
 * <p>The statistics advance once per step, with all of the step's rewards: one with pick credit, N
 * with first-order credit (one per candidate). All rewards of a step are then standardised against
 * the same statistics, those after the step's update (so they include the step's own rewards, and the
 * first step is standardised by its own spread instead of being lost to a zero variance). The ema's
 * horizon is therefore ~1 / {@link #EMA_RATE} = 100 steps whatever N is.
 */
final class RewardNorm {
    /** Weight of the newest step in the moving mean and variance: a horizon of ~100 steps. */
    static final double EMA_RATE = 0.01;

    private final String kind;
    private final RunningStats running = new RunningStats();
    private long count;   // steps folded into the ema
    private double mean;
    private double var;

    RewardNorm(String kind) {
        this.kind = kind;
    }

    /** The step's rewards as they enter the TD target; the statistics first take in all of them, once. */
    double[] apply(double[] r) {
        return switch (kind) {
            case "running" -> running(r);
            case "ema" -> ema(r);
            default -> r.clone();
        };
    }

    /** A step with one reward (pick credit). */
    double apply(double r) {
        return apply(new double[] {r})[0];
    }

    private double[] running(double[] r) {
        for (double x : r) {
            running.add(x);
        }
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = running.z(r[i]);
        }
        return out;
    }

    /**
     * The ema as the moving mixture of the steps' reward distributions: with the step's mean b and
     * (population) variance s2, and rate a, m <- m + a (b - m), v <- (1 - a) (v + a (b - m_old)^2) + a s2
     * (West's weighted form when the step has one reward, s2 = 0); returns (r - m) / sqrt(v) for each r,
     * 0 while v is 0. The rate is 1 / count until count reaches 1 / a, so the first steps are not
     * weighted against a zero prior.
     */
    private double[] ema(double[] r) {
        double b = 0;
        for (double x : r) {
            b += x;
        }
        b /= r.length;
        double s2 = 0;
        for (double x : r) {
            s2 += (x - b) * (x - b);
        }
        s2 /= r.length;
        count++;
        double a = Math.max(EMA_RATE, 1.0 / count);
        double delta = b - mean;
        mean += a * delta;
        var = (1 - a) * (var + a * delta * delta) + a * s2;
        double std = Math.sqrt(var);
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = std > 1e-12 ? (r[i] - mean) / std : 0.0;
        }
        return out;
    }

    Map<String, Object> save() {
        Map<String, Object> s = running.save();
        s.put("ema_count", count);
        s.put("ema_mean", mean);
        s.put("ema_var", var);
        return s;
    }

    void restore(Map<?, ?> s) {
        running.restore(s);
        if (s.get("ema_count") instanceof Number c) {
            count = c.longValue();
            mean = ((Number) s.get("ema_mean")).doubleValue();
            var = ((Number) s.get("ema_var")).doubleValue();
        }
    }
}
