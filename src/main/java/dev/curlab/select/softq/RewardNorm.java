package dev.curlab.select.softq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reward standardisation before eq. 3 (not in the paper): none, running (mean and std of every reward
 * so far, {@link RunningStats}) or ema (exponential moving mean and variance, so the scale follows the
 * rewards as they shrink over training and the differences between candidates keep their size
 * relative to beta).
 */
final class RewardNorm {
    /** Weight of the newest reward in the moving mean and variance: a horizon of ~100 steps. */
    static final double EMA_RATE = 0.01;

    private final String kind;
    private final RunningStats running = new RunningStats();
    private long count;
    private double mean;
    private double var;

    RewardNorm(String kind) {
        this.kind = kind;
    }

    /** r as it enters the TD target; the statistics include r itself. */
    double apply(double r) {
        return switch (kind) {
            case "running" -> running.standardise(r);
            case "ema" -> ema(r);
            default -> r;
        };
    }

    /**
     * m <- m + a (r - m), v <- (1 - a) (v + a (r - m_old)^2) (West's weighted form); returns (r - m) / sqrt(v),
     * 0 while v is 0. The rate is 1 / count until count reaches 1 / a, so the first rewards are not
     * weighted against a zero prior.
     */
    private double ema(double r) {
        count++;
        double a = Math.max(EMA_RATE, 1.0 / count);
        double delta = r - mean;
        mean += a * delta;
        var = (1 - a) * (var + a * delta * delta);
        double std = Math.sqrt(var);
        return std > 1e-12 ? (r - mean) / std : 0.0;
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
