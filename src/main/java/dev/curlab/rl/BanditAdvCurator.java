package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.Rng;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bandit-adv}: a UCB bandit over problem categories in the spirit of DUMP (Wang et al. 2025)
 * and Self-Evolving Curriculum (2025). An arm is a category, {@link Problem#bucket()} (source and
 * parameters: for builtin:arith a family at one digit count or length). Its reward is the mean
 * absolute GRPO advantage of its groups, a proxy for how much the policy can still learn there:
 * L_j = mean over the arm's last {@code window} groups of (1/G) sum_i |A_i|. Scores
 * UCB_j = L_j + c sqrt(2 ln n / n_j) (n groups observed in all, n_j of arm j), and arms are drawn
 * from softmax(UCB / tau) over the categories present among the candidates; an arm never observed
 * has an infinite score (the unobserved present arms share the draw uniformly). Then a uniform
 * candidate of the drawn arm, without replacement, B times.
 */
public final class BanditAdvCurator implements Curator {
    public static final Set<String> KEYS = Set.of("window", "c", "tau");

    /**
     * @param window groups per arm whose mean |A| is its reward estimate
     * @param c      weight of the exploration bonus
     * @param tau    softmax temperature over UCB scores
     */
    public record Settings(int window, double c, double tau) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("window", 8, 1), s.number("c", 1.0, 0, 100), s.number("tau", 0.1, 1e-6, 100));
        }
    }

    private final Settings cfg;
    private final Map<String, Deque<Double>> recent = new LinkedHashMap<>(); // arm -> last groups' mean |A|
    private final Map<String, Long> counts = new LinkedHashMap<>();          // arm -> groups observed
    private long total;
    private double lastEntropy = Double.NaN;
    private int lastArmsPresent;

    public BanditAdvCurator(Settings cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "bandit-adv";
    }

    /** (1/G) sum_i |A_i| of a group of 0/1 rewards with {@code s} of {@code g} right (GRPO's normalisation, {@link Grpo#advantages}). */
    public static double meanAbsAdvantage(int s, int g) {
        double[] r = new double[g];
        for (int i = 0; i < s; i++) {
            r[i] = 1;
        }
        double sum = 0;
        for (double a : Grpo.advantages(r)) {
            sum += Math.abs(a);
        }
        return sum / g;
    }

    /** UCB_j = mean + c sqrt(2 ln total / n); +infinity for an arm never observed. */
    public static double ucb(double mean, long n, long total, double c) {
        return n == 0 ? Double.POSITIVE_INFINITY : mean + c * Math.sqrt(2 * Math.log(total) / n);
    }

    /** softmax(ucb / tau); when some scores are infinite, those arms share probability 1 equally. */
    public static double[] probabilities(double[] ucb, double tau) {
        double[] p = new double[ucb.length];
        int inf = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double u : ucb) {
            inf += u == Double.POSITIVE_INFINITY ? 1 : 0;
            max = Math.max(max, u);
        }
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = inf > 0 ? (ucb[j] == Double.POSITIVE_INFINITY ? 1 : 0) : Math.exp((ucb[j] - max) / tau);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** The arm's UCB score now. */
    public double score(String arm) {
        Deque<Double> q = recent.get(arm);
        double mean = 0;
        if (q != null) {
            for (double v : q) {
                mean += v;
            }
            mean /= q.size();
        }
        return ucb(mean, counts.getOrDefault(arm, 0L), total, cfg.c());
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        Map<String, List<Integer>> byArm = new LinkedHashMap<>();     // candidate order: deterministic
        for (int i = 0; i < candidates.size(); i++) {
            byArm.computeIfAbsent(candidates.get(i).bucket(), k -> new ArrayList<>()).add(i);
        }
        List<String> arms = new ArrayList<>(byArm.keySet());
        double[] u = new double[arms.size()];
        for (int j = 0; j < u.length; j++) {
            u[j] = score(arms.get(j));
        }
        lastArmsPresent = arms.size();
        lastEntropy = entropy(probabilities(u, cfg.tau()));
        int[] out = new int[b];
        for (int k = 0; k < b; k++) {
            double[] p = probabilities(u, cfg.tau());
            int j = rng.nextCategorical(p);
            List<Integer> free = byArm.get(arms.get(j));
            out[k] = free.remove(rng.nextInt(free.size()));
            if (free.isEmpty()) {
                u[j] = Double.NEGATIVE_INFINITY;                          // exhausted this step: probability 0
            }
        }
        return out;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double x : p) {
            h -= x > 0 ? x * Math.log(x) : 0;
        }
        return h;
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        for (int i = 0; i < picked.size(); i++) {
            String arm = picked.get(i).bucket();
            Deque<Double> q = recent.computeIfAbsent(arm, k -> new ArrayDeque<>());
            q.addLast(meanAbsAdvantage(successes[i], g));
            while (q.size() > cfg.window()) {
                q.removeFirst();
            }
            counts.merge(arm, 1L, Long::sum);
            total++;
        }
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("window", cfg.window(), "c", cfg.c(), "tau", cfg.tau());
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bandit_entropy", lastEntropy);
        m.put("bandit_arms_present", lastArmsPresent);
        m.put("bandit_arms_seen", counts.size());
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> arms = new LinkedHashMap<>();
        recent.forEach((k, q) -> arms.put(k, Map.of("n", counts.get(k), "recent", new ArrayList<>(q))));
        return Map.of("arms", arms, "total", total);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        recent.clear();
        counts.clear();
        ((Map<String, Object>) state.get("arms")).forEach((k, v) -> {
            Map<String, Object> a = (Map<String, Object>) v;
            Deque<Double> q = new ArrayDeque<>();
            for (Object x : (List<Object>) a.get("recent")) {
                q.addLast(((Number) x).doubleValue());
            }
            recent.put(k, q);
            counts.put(k, ((Number) a.get("n")).longValue());
        });
        total = ((Number) state.get("total")).longValue();
    }
}
