package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.Stats;
import java.util.Set;

/**
 * The score-then-pick curricula of the paper's section 3.2, one class for both scores: prioritise the
 * candidates the model currently predicts worst ({@link Score#LOSS}, Loshchilov and Hutter 2015) or
 * on which its next-token distribution is most spread ({@link Score#ENTROPY}, mean predictive entropy
 * H = -sum_v p_v log p_v per position; Settles 2009). With temperature 0 it trains on the B
 * highest-scoring candidates; with T > 0 it samples B of them from softmax(score / T) without replacement.
 */
public final class ScoreSelector implements Selector {

    /** What the selector ranks by, with its selector name and the metric prefix of its candidate values. */
    public enum Score {
        LOSS("loss", "candidate_loss"),
        ENTROPY("uncertainty", "candidate_entropy");

        final String selectorName;
        final String metric;

        Score(String selectorName, String metric) {
            this.selectorName = selectorName;
            this.metric = metric;
        }

        float[] of(CandidateBatch batch) {
            return this == LOSS ? batch.loss() : batch.entropy();
        }
    }

    private final Score score;
    private final Rng rng;
    private final int selectBatch;
    private final double temperature;

    public ScoreSelector(Score score, long seed, int selectBatch, double temperature) {
        this.score = score;
        this.rng = Rng.derive(seed, "selector/" + score.selectorName);
        this.selectBatch = selectBatch;
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return score.selectorName;
    }

    @Override
    public boolean needsEntropy() {
        return score == Score.ENTROPY;
    }

    /** Reads the candidates' scores (their losses or entropies), never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        float[] raw = score.of(batch);
        double[] values = Picks.toDouble(raw);
        int[] picks = Picks.choose(rng, values, temperature, selectBatch);
        metrics.candidateValues(values);
        metrics.put(score.metric + "_mean", Stats.mean(raw));
        metrics.put(score.metric + "_max", values[Picks.top(values, 1)[0]]);
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
