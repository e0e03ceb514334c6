package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
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
 * A non-contextual teacher over data sources driven by absolute learning progress (TSCL, Matiisen
 * et al. 2017; ALP-GMM, Portelas et al. 2019). Each step the scoring pass gives the mean loss of each
 * source's candidates; a source's history keeps its last 2W such means, and its ALP is
 * |mean(recent half) - mean(older half)|. A source is drawn from (1 - eps) softmax(ALP / tau) +
 * eps / K over the K sources seen so far, then a uniform candidate of it (or of the whole batch when
 * the drawn source has no candidate left).
 */
public final class AlpBanditSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final int window;
    private final double temperature;
    private final double epsilon;
    private final Map<String, List<Double>> history = new LinkedHashMap<>();   // source -> mean losses, oldest first

    public AlpBanditSelector(long seed, int selectBatch, int window, double temperature, double epsilon) {
        this.rng = Rng.derive(seed, "selector/alp-bandit");
        this.selectBatch = selectBatch;
        this.window = window;
        this.temperature = temperature;
        this.epsilon = epsilon;
    }

    /** ALP = |mean(recent) - mean(older)| over the last 2W entries, split in two halves; 0 below 2. */
    public static double alp(List<Double> history, int window) {
        int size = Math.min(history.size(), 2 * window);
        if (size < 2) {
            return 0;
        }
        int from = history.size() - size;
        int recent = size / 2;
        double older = 0;
        double newer = 0;
        for (int i = from; i < history.size() - recent; i++) {
            older += history.get(i);
        }
        for (int i = history.size() - recent; i < history.size(); i++) {
            newer += history.get(i);
        }
        return Math.abs(newer / recent - older / (size - recent));
    }

    /** p_s = (1 - eps) softmax(ALP / tau)_s + eps / K. */
    public static double[] policy(double[] alp, double temperature, double epsilon) {
        double[] p = Picks.boltzmann(alp, temperature);
        for (int s = 0; s < p.length; s++) {
            p[s] = (1 - epsilon) * p[s] + epsilon / p.length;
        }
        return p;
    }

    @Override
    public String name() {
        return "alp-bandit";
    }

    /** Reads the candidates' scores (each source's mean loss), never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.SOURCE);
    }

    /** Appends this step's mean candidate loss of every source present to that source's history. */
    @Override
    public void learn(CandidateBatch next, StepMetrics metrics) {
        Map<String, double[]> sums = new LinkedHashMap<>();   // source -> {loss sum, count}
        for (int i = 0; i < next.size(); i++) {
            double[] acc = sums.computeIfAbsent(next.window(i).source(), s -> new double[2]);
            acc[0] += next.loss()[i];
            acc[1] += 1;
        }
        sums.forEach((source, acc) -> {
            List<Double> h = history.computeIfAbsent(source, s -> new ArrayList<>());
            h.add(acc[0] / acc[1]);
            if (h.size() > 2 * window) {
                h.remove(0);
            }
        });
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        List<String> sources = new ArrayList<>(history.keySet());
        double[] alp = new double[sources.size()];
        Map<String, Object> alpBySource = new LinkedHashMap<>();
        for (int s = 0; s < alp.length; s++) {
            alp[s] = alp(history.get(sources.get(s)), window);
            alpBySource.put(sources.get(s), alp[s]);
        }
        double[] p = sources.isEmpty() ? null : policy(alp, temperature, epsilon);
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            left.add(i);
        }
        int[] picks = new int[selectBatch];
        String firstSource = null;
        int fallbacks = 0;
        for (int k = 0; k < selectBatch; k++) {
            String source = p == null ? null : sources.get(rng.nextCategorical(p));
            List<Integer> ofSource = new ArrayList<>();
            for (int i : left) {
                if (batch.window(i).source().equals(source)) {
                    ofSource.add(i);
                }
            }
            if (ofSource.isEmpty()) {
                fallbacks++;
                ofSource = left;                                        // source absent: any candidate
            }
            picks[k] = Picks.uniform(rng, ofSource);
            left.remove(Integer.valueOf(picks[k]));
            firstSource = k == 0 ? source : firstSource;
        }
        metrics.put("alp_source", firstSource);
        metrics.put("alp_fallbacks", fallbacks);
        metrics.put("alp_max", alp.length == 0 ? 0.0 : alp[Picks.top(alp, 1)[0]]);
        metrics.put("alp", alpBySource);
        return Picks.selection(picks);
    }

    @Override
    public SelectorState save() {
        Map<String, Object> h = new LinkedHashMap<>();
        history.forEach((s, values) -> h.put(s, List.copyOf(values)));
        return new SelectorState(Map.of("rng", rng.state(), "history", h), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        rng.setState(((Number) state.values().get("rng")).longValue());
        history.clear();
        ((Map<String, List<Number>>) state.values().get("history")).forEach((s, values) -> {
            List<Double> h = new ArrayList<>();
            values.forEach(v -> h.add(v.doubleValue()));
            history.put(s, h);
        });
    }
}
