package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code greso} (GRPO with Efficient Selective Rollout, Zheng et al. 2025): skips, before rollout,
 * problems whose history predicts a zero-variance group. For each problem it keeps z, the number of its
 * most recent consecutive groups that were zero-variance, and whether the last was all right (easy) or
 * all wrong (hard). Going through the candidates in their (random) order, a problem with z >= 1 is
 * skipped with probability 1 - p_e^z, p_e the exploration probability of its type: so the skip grows
 * with the evidence and a skipped problem is still retried now and then. The first B not skipped are
 * picked (if fewer, the skipped ones fill the batch in order). After each step each type's p_e moves by
 * {@code delta} toward the target zero-variance share: down when the step's share of groups of that
 * type exceeds {@code target} / 2, up otherwise, within [{@code min-explore}, 1] (the paper adapts
 * p_e the same way; the split of the target between the types is ours). No extra rollouts.
 */
public final class GresoCurator implements Curator {
    public static final Set<String> KEYS = Set.of("explore", "target", "delta", "min-explore", "key");

    /**
     * @param explore    initial p_e of both types
     * @param target     target share of zero-variance groups per step (easy and hard each get half)
     * @param delta      step of p_e's adaptation (0 = fixed p_e)
     * @param minExplore lowest p_e
     * @param key        problem or bucket
     */
    public record Settings(double explore, double target, double delta, double minExplore, String key) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.number("explore", 0.5, 0, 1), s.number("target", 0.25, 0, 1), s.number("delta", 0.01, 0, 1),
                    s.number("min-explore", 0.05, 0, 1), s.choice("key", "problem", ProblemKey.CHOICES));
        }
    }

    private final Settings cfg;
    private final Map<String, int[]> history = new LinkedHashMap<>(); // key -> {z, last type: +1 easy, -1 hard, 0 mixed}
    private double exploreEasy;
    private double exploreHard;
    private int lastSkipped;

    public GresoCurator(Settings cfg) {
        this.cfg = cfg;
        this.exploreEasy = cfg.explore();
        this.exploreHard = cfg.explore();
    }

    @Override
    public String name() {
        return "greso";
    }

    /** Probability 1 - p_e^z that a problem whose last z groups were zero-variance is skipped (0 when z = 0). */
    public static double skipProbability(int z, double explore) {
        return z == 0 ? 0 : 1 - Math.pow(explore, z);
    }

    /** The skip probability of a candidate now. */
    public double skipProbability(Problem p) {
        int[] h = history.get(ProblemKey.of(p, cfg.key()));
        return h == null ? 0 : skipProbability(h[0], h[1] > 0 ? exploreEasy : exploreHard);
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        List<Integer> taken = new ArrayList<>(b);
        List<Integer> skipped = new ArrayList<>();
        for (int i = 0; i < candidates.size() && taken.size() < b; i++) {
            double s = skipProbability(candidates.get(i));
            (s > 0 && rng.nextDouble() < s ? skipped : taken).add(i);
        }
        lastSkipped = skipped.size();
        for (int i = 0; taken.size() < b; i++) {
            taken.add(skipped.get(i));                                     // too few left: the skipped fill in order
        }
        return taken.stream().mapToInt(Integer::intValue).toArray();
    }

    /** z and type per picked problem; then each type's p_e moves by delta toward the target share. */
    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        int easy = 0;
        int hard = 0;
        for (int i = 0; i < picked.size(); i++) {
            int type = successes[i] == g ? 1 : successes[i] == 0 ? -1 : 0;
            easy += type > 0 ? 1 : 0;
            hard += type < 0 ? 1 : 0;
            int[] h = history.computeIfAbsent(ProblemKey.of(picked.get(i), cfg.key()), k -> new int[2]);
            h[0] = type == 0 ? 0 : h[0] + 1;
            h[1] = type;
        }
        exploreEasy = adapt(exploreEasy, (double) easy / picked.size(), cfg.target() / 2, cfg.delta(), cfg.minExplore());
        exploreHard = adapt(exploreHard, (double) hard / picked.size(), cfg.target() / 2, cfg.delta(), cfg.minExplore());
    }

    /** p_e - delta when the observed share exceeds the target, p_e + delta otherwise, within [min, 1]. */
    public static double adapt(double explore, double share, double target, double delta, double min) {
        double e = share > target ? explore - delta : explore + delta;
        return Math.max(min, Math.min(1, e));
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("explore", cfg.explore());
        m.put("target", cfg.target());
        m.put("delta", cfg.delta());
        m.put("min-explore", cfg.minExplore());
        m.put("key", cfg.key());
        return m;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("greso_skipped", lastSkipped);
        m.put("greso_explore_easy", exploreEasy);
        m.put("greso_explore_hard", exploreHard);
        m.put("greso_tracked", history.size());
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> h = new LinkedHashMap<>();
        history.forEach((k, v) -> h.put(k, List.of(v[0], v[1])));
        s.put("history", h);
        s.put("explore_easy", exploreEasy);
        s.put("explore_hard", exploreHard);
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        history.clear();
        ((Map<String, Object>) state.get("history")).forEach((k, v) -> {
            List<Number> l = (List<Number>) v;
            history.put(k, new int[] {l.get(0).intValue(), l.get(1).intValue()});
        });
        exploreEasy = ((Number) state.get("explore_easy")).doubleValue();
        exploreHard = ((Number) state.get("explore_hard")).doubleValue();
    }
}
