package dev.curlab.select.baselines;

import dev.curlab.data.Window;
import dev.curlab.eval.PassCost;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.Set;

/**
 * RHO-LOSS (Mindermann et al. 2022, "Prioritized Training on Points that are Learnable, Worth
 * Learning, and Not Yet Learnt"): trains on the candidates of highest reducible holdout loss,
 * score = L(theta_k, x) - IL(x), where IL is the loss of x under a model trained beforehand on held-out
 * data (see {@link IrreducibleLossModel}). Its real extra compute is one IL forward pass over the N
 * candidates per step ({@code il_forward_tokens}) and the IL training ({@code il_train_tokens}, logged
 * once in the first step's metrics).
 */
public final class RhoLossSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final double temperature;
    private final IrreducibleLossModel il;

    public RhoLossSelector(SelectorContext c) {
        BaselineConfig b = c.settings().baselines();
        this.rng = Rng.derive(c.seed(), "selector/rho-loss");
        this.selectBatch = c.settings().selectBatch();
        this.temperature = b.rhoTemperature();
        this.il = IrreducibleLossModel.of(c);
    }

    /** Reducible holdout loss L(x) - IL(x) per candidate. */
    public static double[] reducibleLoss(float[] loss, float[] irreducible) {
        double[] score = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            score[i] = loss[i] - irreducible[i];
        }
        return score;
    }

    @Override
    public String name() {
        return "rho-loss";
    }

    /** Reads the candidates' scores (their losses) and its IL model's losses, never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public long ownForwardTokensPerStep(int candidates, int predictions) {
        return (long) candidates * predictions;
    }

    @Override
    public dev.curlab.model.GptConfig ownShape() {
        return il == null ? null : il.shape();
    }

    @Override
    public long ownTrainTokens() {
        return il.trainTokens();
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        float[] irreducible = il.loss(batch.scoredTokens());
        double[] score = reducibleLoss(batch.loss(), irreducible);
        int[] picks = Picks.choose(rng, score, temperature, selectBatch);
        metrics.candidateValues(score);
        if (batch.step() == 0) {
            metrics.put("il_train_tokens", il.trainTokens());
            metrics.put("il_cached", il.cached());
        }
        metrics.put("il_forward_tokens", PassCost.tokens(batch.size(), batch.scored()));
        metrics.put("selected_il", irreducible[picks[0]]);
        metrics.put("selected_reducible_loss", score[picks[0]]);
        return Picks.selection(picks);
    }

    /** Scores of a batch (for tests and analysis): L - IL per candidate. */
    double[] scores(CandidateBatch batch) {
        return reducibleLoss(batch.loss(), il.loss(batch.scoredTokens()));
    }

    IrreducibleLossModel irreducibleLossModel() {
        return il;
    }

    @Override
    public SelectorState save() {
        return SelectorState.ofRng(rng);
    }

    @Override
    public void restore(SelectorState state) {
        state.restoreRng(rng);
    }

    @Override
    public void close() {
        il.close();
    }
}
