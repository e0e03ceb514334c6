package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.Rng;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code learnability} as LILO does it (Foster and Foerster 2025): each step, {@code probes} rollouts of
 * every candidate with the current policy estimate its success rate p^ (probe rollouts, charged as
 * {@code flops_probes} and counted in {@code rollouts_generated}), and the B candidates of highest
 * learnability p^ (1 - p^) are picked ({@code rule=top}, ties in a random order) or B are drawn without
 * replacement in proportion to p^ (1 - p^) + 1e-3 ({@code rule=sample}). The probes are not reused for the
 * update. The probe-free variant that estimates p from history is {@code learnability-history}.
 */
public final class LearnabilityCurator implements Curator {
    public static final Set<String> KEYS = Set.of("probes", "rule");
    static final double FLOOR = 1e-3;

    /**
     * @param probes rollouts per candidate that estimate its p
     * @param rule   top (the B highest p (1 - p)) or sample (in proportion to it)
     */
    public record Settings(int probes, String rule) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("probes", 4, 1), s.choice("rule", "top", Set.of("top", "sample")));
        }
    }

    private final Settings cfg;
    private final Probe probe;
    private double lastPicked = Double.NaN;
    private double lastCandidates = Double.NaN;
    private double lastZeroShare = Double.NaN;

    public LearnabilityCurator(Settings cfg, Probe probe) {
        this.cfg = cfg;
        this.probe = probe;
    }

    @Override
    public String name() {
        return "learnability";
    }

    /** The B indices of highest score, ties broken by the random order {@code order} (a permutation of the indices). */
    static int[] top(double[] score, int[] order, int b) {
        Integer[] idx = Arrays.stream(order).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, (x, y) -> Double.compare(score[y], score[x]));  // stable: equal scores keep the random order
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        int n = candidates.size();
        double[] p = probe.successRates(candidates, cfg.probes());
        double[] score = new double[n];
        lastCandidates = 0;
        lastZeroShare = 0;
        for (int i = 0; i < n; i++) {
            score[i] = Grpo.learnability(p[i]);
            lastCandidates += score[i] / n;
            lastZeroShare += score[i] == 0 ? 1.0 / n : 0;
        }
        int[] out;
        if (cfg.rule().equals("top")) {
            out = top(score, rng.sampleWithoutReplacement(n, n), b);
        } else {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = score[i] + FLOOR;
            }
            out = new int[b];
            for (int k = 0; k < b; k++) {
                out[k] = rng.nextCategorical(w);
                w[out[k]] = 0;
            }
        }
        lastPicked = 0;
        for (int i : out) {
            lastPicked += score[i] / b;
        }
        return out;
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probes", cfg.probes());
        m.put("rule", cfg.rule());
        return m;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("curator_mean_learnability", lastPicked);
        m.put("learnability_candidates_mean", lastCandidates);
        m.put("learnability_candidates_zero_share", lastZeroShare);
        return m;
    }

    @Override
    public Map<String, Object> save() {
        return Map.of();
    }

    /** Nothing to restore; a checkpoint of the history-based variant (this name's meaning before) is refused. */
    @Override
    public void restore(Map<String, Object> state) {
        if (state.containsKey("stats")) {
            throw new dev.curlab.util.UserError("this run's checkpoint is of the history-based learnability curator, now called "
                    + "learnability-history; resume it with a curlab from before the rename, or start it again with --curator learnability-history");
        }
    }
}
