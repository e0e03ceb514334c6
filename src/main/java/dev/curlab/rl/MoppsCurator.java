package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mopps} (Model Predictive Prompt Selection, 2025): each problem's success rate has a Beta
 * posterior Beta(alpha, beta) from its own past groups, starting at the prior Beta(alpha0, beta0). After
 * a group with s of G right, alpha <- lambda alpha + (1 - lambda) alpha0 + s and
 * beta <- lambda beta + (1 - lambda) beta0 + (G - s) (forgetting toward the prior, lambda = {@code decay},
 * applied when the problem is observed). To pick, a p^ ~ Beta(alpha, beta) is drawn for every candidate
 * (Thompson sampling) and the B candidates whose p^ is nearest {@code target} are taken. No extra
 * rollouts: its compute is nil. Statistics per problem id ({@code key=problem}, for a fixed bank
 * revisited over epochs) or per bucket ({@code key=bucket}).
 */
public final class MoppsCurator implements Curator {
    public static final Set<String> KEYS = Set.of("target", "decay", "alpha0", "beta0", "key");

    /**
     * @param target target success rate of the picks
     * @param decay  lambda, the weight kept by old evidence at each observation (1 = no forgetting)
     * @param alpha0 prior successes
     * @param beta0  prior failures
     * @param key    problem or bucket
     */
    public record Settings(double target, double decay, double alpha0, double beta0, String key) {
        public static Settings from(StrategySpec s) {
            s.allowOnly(KEYS);
            return new Settings(s.number("target", 0.5, 0, 1), s.number("decay", 0.9, 0, 1), s.number("alpha0", 1, 1e-3, 1e6),
                    s.number("beta0", 1, 1e-3, 1e6), s.choice("key", "problem", ProblemKey.CHOICES));
        }
    }

    private final Settings cfg;
    private final Map<String, double[]> posterior = new LinkedHashMap<>(); // key -> {alpha, beta}
    private double lastSampled = Double.NaN;
    private double lastMean = Double.NaN;
    private int lastSeen;

    public MoppsCurator(Settings cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "mopps";
    }

    /** {alpha, beta} after a group with {@code s} of {@code g} right: lambda x + (1 - lambda) x0 + count. */
    public static double[] update(double alpha, double beta, int s, int g, double lambda, double alpha0, double beta0) {
        return new double[] {lambda * alpha + (1 - lambda) * alpha0 + s, lambda * beta + (1 - lambda) * beta0 + (g - s)};
    }

    /** The posterior {alpha, beta} of a problem (the prior when unseen). */
    public double[] posterior(Problem p) {
        double[] ab = posterior.get(ProblemKey.of(p, cfg.key()));
        return ab == null ? new double[] {cfg.alpha0(), cfg.beta0()} : ab.clone();
    }

    /** The B candidates whose sampled p^ is nearest the target (the lower index among equally near ones). */
    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        int n = candidates.size();
        double[] pHat = new double[n];
        lastSeen = 0;
        for (int i = 0; i < n; i++) {
            double[] ab = posterior(candidates.get(i));
            lastSeen += posterior.containsKey(ProblemKey.of(candidates.get(i), cfg.key())) ? 1 : 0;
            pHat[i] = sampleBeta(ab[0], ab[1], rng);
        }
        int[] out = nearest(pHat, cfg.target(), b);
        lastSampled = 0;
        lastMean = 0;
        for (int i : out) {
            double[] ab = posterior(candidates.get(i));
            lastSampled += pHat[i] / b;
            lastMean += ab[0] / (ab[0] + ab[1]) / b;
        }
        return out;
    }

    /** Indices of the {@code b} values nearest {@code target}, nearest first (stable on ties). */
    static int[] nearest(double[] v, double target, int b) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Double.compare(Math.abs(v[x] - target), Math.abs(v[y] - target)));
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        for (int i = 0; i < picked.size(); i++) {
            double[] ab = posterior(picked.get(i));
            posterior.put(ProblemKey.of(picked.get(i), cfg.key()),
                    update(ab[0], ab[1], successes[i], g, cfg.decay(), cfg.alpha0(), cfg.beta0()));
        }
    }

    /** X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    public static double sampleBeta(double a, double b, Rng rng) {
        double x = sampleGamma(a, rng);
        double y = sampleGamma(b, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(a, 1) by Marsaglia and Tsang (2000); for a < 1, Gamma(a + 1) U^(1/a). */
    static double sampleGamma(double a, Rng rng) {
        if (a < 1) {
            return sampleGamma(a + 1, rng) * Math.pow(rng.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", cfg.target());
        m.put("decay", cfg.decay());
        m.put("alpha0", cfg.alpha0());
        m.put("beta0", cfg.beta0());
        m.put("key", cfg.key());
        return m;
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mopps_sampled_p", lastSampled);
        m.put("mopps_posterior_mean", lastMean);
        m.put("mopps_candidates_seen", lastSeen);
        m.put("mopps_tracked", posterior.size());
        return m;
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        posterior.forEach((k, v) -> s.put(k, List.of(v[0], v[1])));
        return Map.of("posterior", s);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        posterior.clear();
        ((Map<String, Object>) state.getOrDefault("posterior", Map.of())).forEach((k, v) -> {
            List<Number> l = new ArrayList<>((List<Number>) v);
            posterior.put(k, new double[] {l.get(0).doubleValue(), l.get(1).doubleValue()});
        });
    }
}
