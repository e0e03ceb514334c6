package dev.curlab.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.curlab.model.Assign;
import dev.curlab.optim.AdamW;
import dev.curlab.util.Rng;
import dev.curlab.util.Stats;
import dev.curlab.util.StrategySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code curator}: a neural curator after ACTOR-CURATOR (2026; only its abstract is public, so the
 * details are ours, docs/rl-curators.md). A small scorer ({@link CuratorScorer}) maps each candidate's
 * features (the policy's detached last-prompt-token hidden state, and its bucket's running success
 * rate p, 4 p (1 - p) and log(1 + trials) / 4) to a logit; pi = softmax over the N candidates. B
 * distinct picks are drawn from mu = (1 - explore) pi + explore / N. After the step, each pick j
 * has a reward r_j: with {@code reward=improvement} (the default, the paper's objective) the measured
 * policy improvement on it, the change over the update in the mean per-token log-probability of its
 * reference answer under the policy (teacher forced, after minus before, no held-out data; two no-grad
 * passes of B short sequences per step, charged to the curator); with {@code reward=advantage} the
 * mean |GRPO advantage| of its group (the earlier stand-in). Then an
 * importance-weighted estimate r^_j = (r_j - b) / q_j with q_j = 1 - (1 - mu_j)^B its approximate
 * inclusion probability and b a running baseline (r^ = 0 for the others), and the scorer takes
 * {@code updates} AdamW steps on {@link CuratorScorer#mirrorDescentLoss}.
 */
public final class NeuralCurator implements Curator, AutoCloseable {
    public static final Set<String> KEYS = Set.of("width", "lr", "eta", "updates", "explore", "baseline-decay", "features", "reward");
    static final double STATS_DECAY = 0.9;

    /**
     * @param width         hidden width H of the scorer
     * @param lr            AdamW learning rate of the scorer
     * @param eta           mirror-descent step size (the KL term's weight is 1 / eta)
     * @param updates       AdamW steps per RL step on the same loss
     * @param explore       share of uniform exploration mixed into the sampling distribution
     * @param baselineDecay decay of the running reward baseline b
     * @param features      hidden+stats, hidden or stats (ablations of the feature vector)
     * @param reward        improvement (answer log-prob after minus before the update) or advantage (mean |A| of the group)
     */
    public record Settings(int width, double lr, double eta, int updates, double explore, double baselineDecay, String features,
            String reward) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("width", 32, 1), s.number("lr", 1e-2, 1e-8, 10), s.number("eta", 1.0, 1e-6, 1e6),
                    s.integer("updates", 2, 1), s.number("explore", 0.1, 0, 1), s.number("baseline-decay", 0.9, 0, 1),
                    s.choice("features", "hidden+stats", Set.of("hidden+stats", "hidden", "stats")),
                    s.choice("reward", "improvement", Set.of("improvement", "advantage")));
        }
    }

    private final Settings cfg;
    private final PromptStates states;
    private final Probe probe;                                           // answer log-probs of reward=improvement
    private final long seed;
    private final Map<String, double[]> stats = new LinkedHashMap<>(); // bucket -> {successes, trials}, decayed
    private CuratorScorer scorer;                                        // made at the first pick (F known then)
    private AdamW optimizer;
    private double baseline = Double.NaN;
    private double ownFlops;
    private Pending pending;
    private double[] mu;                                                 // the last pick's sampling distribution
    private double[] before;                                             // picks' answer log-probs before the update
    private double lastEntropy = Double.NaN;
    private double lastLoss = Double.NaN;
    private double lastSpread = Double.NaN;
    private double lastReward = Double.NaN;

    /** What the update needs from the pick: features (N x F), log pi_old, the picks and their q. */
    private record Pending(float[] x, float[] logPiOld, int[] picks, double[] q) {
    }

    public NeuralCurator(Settings cfg, PromptStates states, Probe probe, long seed) {
        this.cfg = cfg;
        this.states = states;
        this.probe = probe;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "curator";
    }

    private double[] bucketStats(String bucket) {
        double[] st = stats.get(bucket);
        double s = st == null ? 0 : st[0];
        double n = st == null ? 0 : st[1];
        double p = (s + 1) / (n + 2);
        return new double[] {p, 4 * p * (1 - p), Math.log1p(n) / 4};
    }

    /** Feature rows (N x F, flat) of the candidates. */
    private float[] features(List<Problem> candidates) {
        boolean hidden = !cfg.features().equals("stats");
        boolean withStats = !cfg.features().equals("hidden");
        float[][] h = hidden ? states.hidden(candidates) : null;
        int f = (hidden ? h[0].length : 0) + (withStats ? 3 : 0);
        float[] x = new float[candidates.size() * f];
        for (int i = 0; i < candidates.size(); i++) {
            int o = i * f;
            if (hidden) {
                System.arraycopy(h[i], 0, x, o, h[i].length);
                o += h[i].length;
            }
            if (withStats) {
                for (double v : bucketStats(candidates.get(i).bucket())) {
                    x[o++] = (float) v;
                }
            }
        }
        return x;
    }

    private void ensureScorer(int f) {
        if (scorer == null) {
            scorer = new CuratorScorer(f, cfg.width(), Rng.derive(seed, "rl/curator/init"));
            optimizer = new AdamW(scorer.manager(), 0.9, 0.999, 1e-8, 0.0);
            optimizer.prepare(scorer.parameters());
        }
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        int n = candidates.size();
        float[] x = features(candidates);
        ensureScorer(x.length / n);
        float[] logits;
        try (NDManager sm = scorer.manager().newSubManager()) {
            logits = scorer.forward(sm.create(x, new Shape(n, scorer.features()))).toFloatArray();
        }
        ownFlops += n * scorer.forwardFlops();
        double[] logPi = logSoftmax(logits);
        double[] mu = new double[n];
        float[] logPiOld = new float[n];
        lastEntropy = 0;
        for (int j = 0; j < n; j++) {
            double pi = Math.exp(logPi[j]);
            mu[j] = (1 - cfg.explore()) * pi + cfg.explore() / n;
            logPiOld[j] = (float) logPi[j];
            lastEntropy -= pi * logPi[j];
        }
        lastSpread = Stats.populationSd(logits);
        double[] w = mu.clone();
        int[] out = new int[b];
        double[] q = new double[b];
        for (int k = 0; k < b; k++) {
            int j = rng.nextCategorical(w);
            w[j] = 0;
            out[k] = j;
            q[k] = inclusion(mu[j], b);
        }
        pending = new Pending(x, logPiOld, out, q);
        this.mu = mu;
        if (cfg.reward().equals("improvement")) {
            before = probe.answerLogProb(pickedOf(candidates, out));
        }
        return out;
    }

    private static List<Problem> pickedOf(List<Problem> candidates, int[] picks) {
        List<Problem> out = new ArrayList<>(picks.length);
        for (int j : picks) {
            out.add(candidates.get(j));
        }
        return out;
    }

    /** r_j = after_j - before_j: the update's change in each pick's mean answer log-probability per token. */
    public static double[] improvement(double[] before, double[] after) {
        double[] r = new double[before.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = after[j] - before[j];
        }
        return r;
    }

    /** The last pick's sampling distribution mu (tests). */
    double[] lastMu() {
        return mu.clone();
    }

    /** The last pick's inclusion probabilities q, in pick order (tests). */
    double[] pendingQ() {
        return pending.q().clone();
    }

    /** q = 1 - (1 - mu)^B: the chance that B independent draws from mu include the item (our approximation for draws without replacement). */
    public static double inclusion(double mu, int b) {
        return 1 - Math.pow(1 - mu, b);
    }

    static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    /** Importance-weighted rewards r^ (N): (r_k - b) / q_k at pick k's candidate, 0 elsewhere. */
    public static float[] importanceWeighted(int n, int[] picks, double[] rewards, double[] q, double b) {
        float[] rHat = new float[n];
        for (int k = 0; k < picks.length; k++) {
            rHat[picks[k]] = (float) ((rewards[k] - b) / q[k]);
        }
        return rHat;
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        double[] r = new double[picked.size()];
        if (cfg.reward().equals("improvement")) {
            r = improvement(before, probe.answerLogProb(picked));
        } else {
            for (int k = 0; k < r.length; k++) {
                r[k] = BanditAdvCurator.meanAbsAdvantage(successes[k], g);
            }
        }
        lastReward = 0;
        for (double v : r) {
            lastReward += v / r.length;
        }
        double mean = lastReward;
        if (Double.isNaN(baseline)) {
            baseline = mean;
        }
        Pending p = pending;
        int n = p.logPiOld().length;
        float[] rHat = importanceWeighted(n, p.picks(), r, p.q(), baseline);
        try (NDManager sm = scorer.manager().newSubManager()) {
            NDArray x = sm.create(p.x(), new Shape(n, scorer.features()));          // (N, F)
            NDArray logPiOld = sm.create(p.logPiOld());                               // (N)
            NDArray rh = sm.create(rHat);                                             // (N)
            NDArray invEta = sm.create((float) (1 / cfg.eta()));                      // alive until after backward
            for (int u = 0; u < cfg.updates(); u++) {
                scorer.zeroGradients();
                try (NDManager um = sm.newSubManager()) {
                    x.attach(um);                                                     // the pass's temporaries go with um
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = CuratorScorer.mirrorDescentLoss(scorer.forward(x), logPiOld, rh, invEta);
                        gc.backward(loss);
                        lastLoss = loss.getFloat();
                    }
                    x.attach(sm);
                }
                optimizer.step(scorer.parameters(), cfg.lr());
            }
        }
        ownFlops += 3.0 * cfg.updates() * n * scorer.forwardFlops();   // forward + backward (2x) per update
        baseline = cfg.baselineDecay() * baseline + (1 - cfg.baselineDecay()) * mean;
        for (int k = 0; k < picked.size(); k++) {
            double[] st = stats.computeIfAbsent(picked.get(k).bucket(), key -> new double[2]);
            st[0] = STATS_DECAY * st[0] + successes[k];
            st[1] = STATS_DECAY * st[1] + g;
        }
        pending = null;
    }

    @Override
    public double takeOwnFlops() {
        double f = ownFlops;
        ownFlops = 0;
        return f;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", cfg.width());
        m.put("lr", cfg.lr());
        m.put("eta", cfg.eta());
        m.put("updates", cfg.updates());
        m.put("explore", cfg.explore());
        m.put("baseline-decay", cfg.baselineDecay());
        m.put("features", cfg.features());
        m.put("reward", cfg.reward());
        return m;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("curator_entropy", lastEntropy);
        m.put("curator_logit_sd", lastSpread);
        m.put("curator_loss", lastLoss);
        m.put("curator_baseline", baseline);
        m.put("curator_reward", lastReward);
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> st = new LinkedHashMap<>();
        stats.forEach((k, v) -> st.put(k, List.of(v[0], v[1])));
        s.put("stats", st);
        s.put("baseline", Double.isNaN(baseline) ? null : baseline);
        if (scorer != null) {
            s.put("features", scorer.features());
            Map<String, Object> tensors = new LinkedHashMap<>();
            scorer.parameters().forEach((k, v) -> tensors.put(k, floats(v.toFloatArray())));
            optimizer.state().forEach((k, v) -> tensors.put(k, floats(v.toFloatArray())));
            s.put("tensors", tensors);
            s.put("optimizer_steps", optimizer.steps());
        }
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        stats.clear();
        ((Map<String, Object>) state.get("stats")).forEach((k, v) -> {
            List<Number> l = (List<Number>) v;
            stats.put(k, new double[] {l.get(0).doubleValue(), l.get(1).doubleValue()});
        });
        baseline = state.get("baseline") instanceof Number b ? b.doubleValue() : Double.NaN;
        if (state.get("features") instanceof Number f) {
            ensureScorer(f.intValue());
            Map<String, Object> tensors = (Map<String, Object>) state.get("tensors");
            Map<String, float[]> opt = new LinkedHashMap<>();
            tensors.forEach((k, v) -> {
                float[] a = toFloats((List<Number>) v);
                if (scorer.parameters().containsKey(k)) {
                    Assign.values(scorer.parameters().get(k), a);
                } else {
                    opt.put(k, a);
                }
            });
            optimizer.restore(opt, ((Number) state.get("optimizer_steps")).longValue());
        }
    }

    private static List<Double> floats(float[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (float v : a) {
            l.add((double) v);
        }
        return l;
    }

    private static float[] toFloats(List<Number> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i).floatValue();
        }
        return a;
    }

    /** Live native arrays under the scorer's manager (parameters, AdamW moments, leftovers): flat across steps. */
    int liveArrays() {
        return scorer == null ? 0 : scorer.manager().getManagedArrays().size();
    }

    @Override
    public void close() {
        if (scorer != null) {
            scorer.close();
        }
    }
}
