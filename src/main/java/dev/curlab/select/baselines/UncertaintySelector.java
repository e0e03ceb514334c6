package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.Set;

/**
 * Uncertainty-based curriculum (paper section 3.2): prioritise the candidates on which the model's
 * next-token distribution is most spread, by mean predictive entropy H = -sum_v p_v log p_v per
 * position. With temperature 0 it trains on the B highest-entropy candidates; with T > 0 it samples
 * B of them from softmax(entropy / T) without replacement.
 */
public final class UncertaintySelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final double temperature;

    public UncertaintySelector(long seed, int selectBatch, double temperature) {
        this.rng = Rng.derive(seed, "selector/uncertainty");
        this.selectBatch = selectBatch;
        this.temperature = temperature;
    }

    @Override
    public boolean needsEntropy() {
        return true;
    }

    @Override
    public String name() {
        return "uncertainty";
    }

    /** Reads the candidates' scores (their entropies), never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        double[] entropy = Picks.toDouble(batch.entropy());
        int[] picks = Picks.choose(rng, entropy, temperature, selectBatch);
        metrics.candidateValues(entropy);
        metrics.put("candidate_entropy_mean", Picks.mean(batch.entropy()));
        metrics.put("candidate_entropy_max", entropy[Picks.top(entropy, 1)[0]]);
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
