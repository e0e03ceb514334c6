package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reference ceiling, not a real curriculum: it reads the source labels of the candidates AND the
 * source shares of the held-out target distribution, which no real selector sees. For each pick it
 * draws a source in the target's proportions (among the target sources present in the batch) and
 * then a uniform candidate of that source. It never picks a source outside the target (noise,
 * duplicates) unless no candidate of a target source is left in the batch.
 */
public final class OracleMixtureSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final Map<String, Double> target;

    public OracleMixtureSelector(long seed, int selectBatch, Map<String, Double> target) {
        if (target.isEmpty()) {
            throw new UserError("--selector oracle-mixture needs 'source' labels on the held-out data"
                    + " (--heldout) to know the target distribution, but it has none");
        }
        this.rng = Rng.derive(seed, "selector/oracle-mixture");
        this.selectBatch = selectBatch;
        this.target = new LinkedHashMap<>(target);
    }

    @Override
    public String name() {
        return "oracle-mixture";
    }

    /** Reads neither the candidates' scores nor the reward: no scoring pass, no reward pass. */
    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.SOURCE);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            left.add(i);
        }
        int[] picks = new int[selectBatch];
        int fallbacks = 0;
        for (int k = 0; k < selectBatch; k++) {
            Map<String, List<Integer>> bySource = new LinkedHashMap<>();
            for (int i : left) {
                String s = batch.window(i).source();
                if (target.getOrDefault(s, 0.0) > 0) {
                    bySource.computeIfAbsent(s, x -> new ArrayList<>()).add(i);
                }
            }
            if (bySource.isEmpty()) {
                picks[k] = Picks.uniform(rng, left);                      // no target source left
                fallbacks++;
            } else {
                List<String> sources = new ArrayList<>(bySource.keySet());
                double[] share = new double[sources.size()];
                for (int j = 0; j < share.length; j++) {
                    share[j] = target.get(sources.get(j));
                }
                String s = sources.get(rng.nextCategorical(share));       // target proportions
                picks[k] = Picks.uniform(rng, bySource.get(s));
            }
            left.remove(Integer.valueOf(picks[k]));
        }
        metrics.put("oracle_source", batch.window(picks[0]).source());
        metrics.put("oracle_fallbacks", fallbacks);
        return Picks.selection(picks);
    }

    @Override
    public SelectorState save() {
        return SelectorState.ofRng(rng);
    }

    @Override
    public void restore(SelectorState state) {
        state.restoreRng(rng);
    }
}
