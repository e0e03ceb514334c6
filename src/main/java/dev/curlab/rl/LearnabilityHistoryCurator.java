package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code learnability-history} (called {@code learnability} before the probe variant,
 * {@link LearnabilityCurator}, took that name): a probe-free reading of Foster and Foerster 2025 that picks problems whose success rate p has the largest
 * variance p (1 - p). p comes from running success counts per bucket ({@link Problem#bucket()}: the
 * family and parameters of a generated problem, the problem itself in a bank without them), decayed by
 * {@link #DECAY} at each observation so that they follow the improving policy, with a Beta(1, 1) prior:
 * p = (s + 1) / (n + 2), so an unseen bucket scores 0.25, the maximum. Picks are drawn without
 * replacement in proportion to p (1 - p) (plus {@link #FLOOR}), not top-B: candidates of one bucket
 * tie, and top-B would spend a whole batch on one bucket. No probe rollouts: its extra compute is nil.
 */
public final class LearnabilityHistoryCurator implements Curator {
    public static final double DECAY = 0.9;
    public static final double FLOOR = 1e-3;
    private final Map<String, double[]> stats = new LinkedHashMap<>(); // bucket -> {successes, trials}, decayed
    private double lastMeanScore = Double.NaN;

    @Override
    public String name() {
        return "learnability-history";
    }

    /** p = (s + 1) / (n + 2) of a bucket with decayed successes s out of decayed trials n. */
    public static double successRate(double successes, double trials) {
        return (successes + 1) / (trials + 2);
    }

    /** The current estimate of p for {@code bucket}. */
    public double p(String bucket) {
        double[] st = stats.get(bucket);
        return st == null ? successRate(0, 0) : successRate(st[0], st[1]);
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        double[] w = new double[candidates.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Grpo.learnability(p(candidates.get(i).bucket())) + FLOOR;
        }
        int[] out = new int[b];
        double sum = 0;
        for (int k = 0; k < b; k++) {
            int i = rng.nextCategorical(w);
            out[k] = i;
            sum += w[i] - FLOOR;
            w[i] = 0;
        }
        lastMeanScore = sum / b;
        return out;
    }

    /** s <- DECAY s + successes, n <- DECAY n + g, per picked problem in order. */
    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        for (int i = 0; i < picked.size(); i++) {
            double[] st = stats.computeIfAbsent(picked.get(i).bucket(), k -> new double[2]);
            st[0] = DECAY * st[0] + successes[i];
            st[1] = DECAY * st[1] + g;
        }
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("curator_mean_learnability", lastMeanScore);
        m.put("curator_buckets", stats.size());
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        stats.forEach((k, v) -> s.put(k, List.of(v[0], v[1])));
        return Map.of("stats", s);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        stats.clear();
        Map<String, Object> s = (Map<String, Object>) state.getOrDefault("stats", Map.of());
        s.forEach((k, v) -> {
            List<Number> l = new ArrayList<>((List<Number>) v);
            stats.put(k, new double[] {l.get(0).doubleValue(), l.get(1).doubleValue()});
        });
    }
}
