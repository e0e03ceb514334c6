package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * {@code alp-gmm} (Portelas et al. 2019): problems are points x in the bank's parameter space
 * ({@link ProblemBank#taskParams}; for builtin:arith (family, digits or length) scaled to [0, 1]^2).
 * Each observed problem gets ALP = |success rate now - that of the nearest earlier sample|
 * ({@link AlpGmm#alp}); (x, ALP) enters a sliding window. Every {@code fit-every} steps after the
 * bootstrap a Gaussian mixture is refitted on the window (k = 2..{@code max-k}, best AIC or BIC).
 * A pick is uniform among the candidates left during the bootstrap, with probability
 * {@code random-share}, or when no mixture prefers anything; otherwise a component is drawn in
 * proportion to its mean ALP, x from its Gaussian, and the candidate nearest to x is taken.
 * The window's points carry Gaussian jitter of sd {@code jitter} in every coordinate so that EM's
 * covariances stay invertible on discrete parameters (sklearn's reg_covar does this in the paper's code).
 */
public final class AlpGmmCurator implements Curator {
    public static final Set<String> KEYS = Set.of("fit-every", "window", "bootstrap", "random-share", "max-k", "criterion", "jitter", "history");

    /**
     * @param fitEvery    steps between refits
     * @param window      (x, ALP) samples the mixture is fitted on (the most recent)
     * @param bootstrap   first steps whose picks are all random
     * @param randomShare share of picks drawn uniformly after the bootstrap
     * @param maxK        most mixture components tried (from 2)
     * @param criterion   aic (the paper's) or bic
     * @param jitter      sd of the Gaussian noise added to the window's points
     * @param history     most (x, success) samples kept for the nearest-neighbour ALP
     */
    public record Settings(int fitEvery, int window, int bootstrap, double randomShare, int maxK, String criterion,
            double jitter, int history) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("fit-every", 4, 1), s.integer("window", 160, 8), s.integer("bootstrap", 8, 0),
                    s.number("random-share", 0.2, 0, 1), s.integer("max-k", 5, 2), s.choice("criterion", "aic", Set.of("aic", "bic")),
                    s.number("jitter", 0.02, 1e-6, 1), s.integer("history", 4096, 1));
        }
    }

    private final Settings cfg;
    private final ProblemBank bank;
    private final Rng noise;
    private final Deque<double[]> history = new ArrayDeque<>(); // (x..., success rate), oldest first
    private final Deque<double[]> window = new ArrayDeque<>();  // (x + jitter..., ALP + jitter)
    private List<AlpGmm.Component> gmm = List.of();
    private double[] lastCriteria = new double[0];
    private long fits;
    private int lastRandomPicks;
    private double lastAlpMean = Double.NaN;
    private boolean fittedThisStep;

    public AlpGmmCurator(Settings cfg, ProblemBank bank, long seed) {
        this.cfg = cfg;
        this.bank = bank;
        this.noise = Rng.derive(seed, "rl/alp-gmm/jitter");
    }

    @Override
    public String name() {
        return "alp-gmm";
    }

    private double[] params(Problem p) {
        double[] x = bank.taskParams(p);
        if (x.length == 0) {
            throw new UserError("--curator alp-gmm needs numeric params on every problem (builtin:arith, or \"params\" in a bank's lines); "
                    + p.bucket() + " has none");
        }
        if (!history.isEmpty() && history.peekFirst().length != x.length + 1) {
            throw new UserError("--curator alp-gmm needs the same numeric params on every problem; " + p.bucket() + " has "
                    + x.length + ", earlier ones " + (history.peekFirst().length - 1));
        }
        return x;
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        fittedThisStep = false;
        if (step >= cfg.bootstrap() && step % cfg.fitEvery() == 0 && window.size() >= 2 * 2) {
            AlpGmm.Fit f = AlpGmm.fit(window.toArray(double[][]::new), cfg.maxK(), cfg.criterion());
            if (f != null) {                                       // else keep the last mixture
                gmm = f.components();
                lastCriteria = f.criterionByK();
                fits++;
                fittedThisStep = true;
            }
        }
        List<double[]> xs = new ArrayList<>(candidates.size());
        for (Problem p : candidates) {
            xs.add(params(p));
        }
        double[] weights = step < cfg.bootstrap() ? null : AlpGmm.componentWeights(gmm);
        boolean[] taken = new boolean[candidates.size()];
        int[] out = new int[b];
        lastRandomPicks = 0;
        for (int k = 0; k < b; k++) {
            int i;
            if (weights == null || rng.nextDouble() < cfg.randomShare()) {
                i = nthFree(taken, rng.nextInt(candidates.size() - k));
                lastRandomPicks++;
            } else {
                AlpGmm.Component c = gmm.get(rng.nextCategorical(weights));
                double[] x = new MultivariateNormalDistribution(new Well19937c(rng.nextLong()), c.mean(), c.cov()).sample();
                i = nearestFree(xs, taken, x);
            }
            taken[i] = true;
            out[k] = i;
        }
        return out;
    }

    private static int nthFree(boolean[] taken, int n) {
        for (int i = 0; i < taken.length; i++) {
            if (!taken[i] && n-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no free candidate");
    }

    /** The free candidate nearest to x over x's parameter coordinates (the lowest index of equally near ones). */
    static int nearestFree(List<double[]> xs, boolean[] taken, double[] x) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < xs.size(); i++) {
            double d = AlpGmm.dist2(x, xs.get(i));
            if (!taken[i] && d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** ALP of each pick against the history (picks of this step see the earlier ones), then into the window. */
    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        double sum = 0;
        for (int i = 0; i < picked.size(); i++) {
            double[] x = params(picked.get(i));
            double r = (double) successes[i] / g;
            double alp = AlpGmm.alp(new ArrayList<>(history), x, r);
            sum += alp;
            double[] h = java.util.Arrays.copyOf(x, x.length + 1);
            h[x.length] = r;
            push(history, h, cfg.history());
            double[] w = new double[x.length + 1];
            for (int j = 0; j < x.length; j++) {
                w[j] = x[j] + cfg.jitter() * noise.nextGaussian();
            }
            w[x.length] = alp + cfg.jitter() * noise.nextGaussian();
            push(window, w, cfg.window());
        }
        lastAlpMean = sum / picked.size();
    }

    private static void push(Deque<double[]> q, double[] row, int cap) {
        q.addLast(row);
        while (q.size() > cap) {
            q.removeFirst();
        }
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fit-every", cfg.fitEvery());
        m.put("window", cfg.window());
        m.put("bootstrap", cfg.bootstrap());
        m.put("random-share", cfg.randomShare());
        m.put("max-k", cfg.maxK());
        m.put("criterion", cfg.criterion());
        m.put("jitter", cfg.jitter());
        m.put("history", cfg.history());
        return m;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpgmm_alp_mean", lastAlpMean);
        m.put("alpgmm_random_picks", lastRandomPicks);
        m.put("alpgmm_components", gmm.size());
        m.put("alpgmm_fits", fits);
        if (fittedThisStep) {                                      // the ALP map: each component's mean (x..., ALP) and weight
            List<Object> comps = new ArrayList<>();
            for (AlpGmm.Component c : gmm) {
                comps.add(Map.of("weight", c.weight(), "mean", toList(c.mean())));
            }
            m.put("alpgmm_map", comps);
            m.put("alpgmm_criterion_by_k", toList(lastCriteria));
        }
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("history", rows(history));
        s.put("window", rows(window));
        List<Object> comps = new ArrayList<>();
        for (AlpGmm.Component c : gmm) {
            comps.add(Map.of("weight", c.weight(), "mean", toList(c.mean()), "cov", rows(List.of(c.cov()))));
        }
        s.put("gmm", comps);
        s.put("criteria", toList(lastCriteria));
        s.put("fits", fits);
        s.put("noise_rng", noise.state());
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        history.clear();
        history.addAll(fromRows((List<Object>) state.get("history")));
        window.clear();
        window.addAll(fromRows((List<Object>) state.get("window")));
        List<AlpGmm.Component> comps = new ArrayList<>();
        for (Object o : (List<Object>) state.get("gmm")) {
            Map<String, Object> c = (Map<String, Object>) o;
            comps.add(new AlpGmm.Component(((Number) c.get("weight")).doubleValue(), toArray((List<Object>) c.get("mean")),
                    fromRows((List<Object>) c.get("cov")).toArray(double[][]::new)));
        }
        gmm = List.copyOf(comps);
        lastCriteria = toArray((List<Object>) state.get("criteria"));
        fits = ((Number) state.get("fits")).longValue();
        noise.setState(((Number) state.get("noise_rng")).longValue());
    }

    private static List<Object> toList(double[] v) {
        List<Object> l = new ArrayList<>(v.length);
        for (double x : v) {
            l.add(Double.isNaN(x) ? null : x);
        }
        return l;
    }

    private static double[] toArray(List<Object> l) {
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = l.get(i) == null ? Double.NaN : ((Number) l.get(i)).doubleValue();
        }
        return v;
    }

    private static List<Object> rows(Iterable<double[]> rows) {
        List<Object> l = new ArrayList<>();
        for (double[] r : rows) {
            l.add(toList(r));
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private static List<double[]> fromRows(List<Object> l) {
        List<double[]> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(toArray((List<Object>) o));
        }
        return out;
    }
}
