package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.Set;

/**
 * Loss-based curriculum (paper section 3.2): prioritise the candidates the model currently predicts
 * worst. With temperature 0 it trains on the B highest-loss candidates; with T > 0 it samples B of
 * them from softmax(loss / T) without replacement.
 */
public final class LossSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final double temperature;

    public LossSelector(long seed, int selectBatch, double temperature) {
        this.rng = Rng.derive(seed, "selector/loss");
        this.selectBatch = selectBatch;
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return "loss";
    }

    /** Reads the candidates' scores (their losses), never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        double[] loss = Picks.toDouble(batch.loss());
        int[] picks = Picks.choose(rng, loss, temperature, selectBatch);
        metrics.candidateValues(loss);
        metrics.put("candidate_loss_mean", Picks.mean(batch.loss()));
        metrics.put("candidate_loss_max", loss[Picks.top(loss, 1)[0]]);
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
