package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Online Data Mixing (Albalak et al. 2023, "Efficient Online Data Mixing For Language Model
 * Pre-Training", Algorithm 1 and the authors' Exp3WeightUpdater): EXP3 over the K sources with the
 * training loss as reward. After update t the policy is
 * pi_s = (1 - K eps_t) exp(eps_{t-1} R_s) / sum_s' exp(eps_{t-1} R_s') + eps_t,
 * eps_t = min(1/K, sqrt(ln K / (K t))) (eps_0 = 1/K: uniform), where R_s sums the importance-weighted
 * rewards of source s, R_s += (loss / 10) / p_s (the authors' code scales the loss by 1/10). Each pick
 * draws a source from pi restricted to the sources among the candidates left (p_s is that restricted
 * probability, the chance the source was actually played), then a uniform candidate of it. The loss
 * is the candidate's from the scoring pass, i.e. its training loss before the update. Sources join
 * the arms when first seen (R = 0); t counts steps, one update per step (all B picks credited).
 */
public final class OdmSelector implements Selector {
    /** The authors' reward scale: reward = loss / 10. */
    public static final double REWARD_SCALE = 0.1;

    private final Rng rng;
    private final int selectBatch;
    private final Map<String, Double> cumulative = new LinkedHashMap<>();   // R_s, sources in order first seen
    private long updates;                                                      // t
    private final List<Integer> pending = new ArrayList<>();                    // this step's picks
    private final List<Double> pendingProb = new ArrayList<>();                 // p_s each pick was drawn with

    public OdmSelector(long seed, int selectBatch) {
        this.rng = Rng.derive(seed, "selector/odm");
        this.selectBatch = selectBatch;
    }

    /** eps_t = min(1/K, sqrt(ln K / (K t))) for t >= 1; eps_0 = 1/K. */
    public static double epsilon(long t, int k) {
        return t == 0 ? 1.0 / k : Math.min(1.0 / k, Math.sqrt(Math.log(k) / ((double) k * t)));
    }

    /** pi_s = (1 - K eps_t) softmax(eps_{t-1} R)_s + eps_t after t updates (uniform at t = 0). */
    public static double[] policy(double[] cumulative, long t) {
        int k = cumulative.length;
        double eps = epsilon(t, k);
        double prev = t == 0 ? 1.0 / k : epsilon(t - 1, k);
        double[] scaled = new double[k];
        for (int s = 0; s < k; s++) {
            scaled[s] = prev * cumulative[s];
        }
        double[] p = Picks.boltzmann(scaled, 1);                 // max-shifted: R grows without bound
        for (int s = 0; s < k; s++) {
            p[s] = (1 - k * eps) * p[s] + eps;
        }
        return p;
    }

    /** The importance-weighted reward of one pick: (loss / 10) / p. */
    public static double estimatedReward(double loss, double probability) {
        return REWARD_SCALE * loss / probability;
    }

    /** Reads the scoring pass (the picks' losses, or the head alignment); never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public String name() {
        return "odm";
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.SOURCE);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        for (int i = 0; i < batch.size(); i++) {
            cumulative.putIfAbsent(batch.window(i).source(), 0.0);
        }
        List<String> sources = new ArrayList<>(cumulative.keySet());
        double[] r = new double[sources.size()];
        for (int s = 0; s < r.length; s++) {
            r[s] = cumulative.get(sources.get(s));
        }
        double[] pi = policy(r, updates);
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            left.add(i);
        }
        pending.clear();
        pendingProb.clear();
        int[] picks = new int[selectBatch];
        double absent = 0;
        for (int k = 0; k < selectBatch; k++) {
            double[] q = new double[sources.size()];             // pi restricted to the sources left
            double mass = 0;
            for (int s = 0; s < q.length; s++) {
                String name = sources.get(s);
                boolean present = left.stream().anyMatch(i -> batch.window(i).source().equals(name));
                q[s] = present ? pi[s] : 0;
                mass += q[s];
            }
            absent = k == 0 ? 1 - mass : absent;
            int s = rng.nextCategorical(q);
            List<Integer> ofSource = new ArrayList<>();
            for (int i : left) {
                if (batch.window(i).source().equals(sources.get(s))) {
                    ofSource.add(i);
                }
            }
            picks[k] = Picks.uniform(rng, ofSource);
            left.remove(Integer.valueOf(picks[k]));
            pending.add(picks[k]);
            pendingProb.add(q[s] / mass);
        }
        Map<String, Object> policyBySource = new LinkedHashMap<>();
        for (int s = 0; s < pi.length; s++) {
            policyBySource.put(sources.get(s), pi[s]);
        }
        metrics.put("odm_source", batch.window(picks[0]).source());
        metrics.put("odm_prob", pendingProb.get(0));
        metrics.put("odm_absent_mass", absent);
        metrics.put("odm_epsilon", epsilon(updates, sources.size()));
        metrics.put("odm_policy", policyBySource);
        return Picks.selection(picks);
    }

    /** Credits each pick's source with its importance-weighted loss; one EXP3 update per step. */
    @Override
    public void observe(Outcome outcome, StepMetrics metrics) {
        CandidateBatch batch = outcome.batch();
        for (int n = 0; n < pending.size(); n++) {
            int i = pending.get(n);
            cumulative.merge(batch.window(i).source(), estimatedReward(batch.loss()[i], pendingProb.get(n)), Double::sum);
        }
        pending.clear();
        pendingProb.clear();
        updates++;
    }

    /** Cumulative estimated reward per source (for tests and analysis). */
    Map<String, Double> cumulative() {
        return Map.copyOf(cumulative);
    }

    @Override
    public SelectorState save() {
        return new SelectorState(Map.of("rng", rng.state(), "updates", updates,
                "cumulative", new LinkedHashMap<>(cumulative)), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        rng.setState(((Number) state.values().get("rng")).longValue());
        updates = ((Number) state.values().get("updates")).longValue();
        cumulative.clear();
        ((Map<String, Number>) state.values().get("cumulative")).forEach((s, v) -> cumulative.put(s, v.doubleValue()));
    }
}
