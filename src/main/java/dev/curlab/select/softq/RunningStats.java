package dev.curlab.select.softq;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running mean and standard deviation of the rewards seen so far (Welford), for
 * {@code --reward-norm running}: r is replaced by (r - mean) / std, the statistics including r itself
 * (and every other reward of its step, see {@link RewardNorm}).
 */
final class RunningStats {
    private long count;
    private double mean;
    private double m2;

    /** Adds r to the statistics. */
    void add(double r) {
        count++;
        double delta = r - mean;
        mean += delta / count;
        m2 += delta * (r - mean);
    }

    /** r standardised by the statistics as they are (0 while the std is still 0). */
    double z(double r) {
        double std = count == 0 ? 0 : Math.sqrt(m2 / count);
        return std > 1e-12 ? (r - mean) / std : 0.0;
    }

    long count() {
        return count;
    }

    Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", count);
        s.put("mean", mean);
        s.put("m2", m2);
        return s;
    }

    void restore(Map<?, ?> s) {
        count = ((Number) s.get("count")).longValue();
        mean = ((Number) s.get("mean")).doubleValue();
        m2 = ((Number) s.get("m2")).doubleValue();
    }
}
