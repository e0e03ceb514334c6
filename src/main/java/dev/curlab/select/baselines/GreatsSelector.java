package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import java.util.Arrays;
import java.util.Set;

/**
 * GREATS (Wang et al., NeurIPS 2024, "GREATS: Online Selection of High-Quality Data for LLM Training in
 * Every Iteration"): picks the batch whose update most lowers the held-out loss, by the Taylor
 * expansion of that drop. A candidate's gain alone is eta <g_x, g_D> (g_D the held-out subset's
 * gradient); greedily over the batch, each pick i lowers the gain of every other candidate j by
 * eta^2 <g_j, H g_i>, with the Hessian H taken as the identity as in the authors' code:
 * score_j = eta a_j - eta^2 sum_{i picked} K_ij, the pick is the argmax, and picks are not repeated.
 * Gradients are restricted to the output head (a_x = {@link CandidateBatch#alignment()},
 * K = {@link CandidateBatch#gram()}); with B = 1 the rule is the argmax of a_x and needs no Gram matrix.
 */
public final class GreatsSelector implements Selector {
    private final int selectBatch;
    private final double eta;

    /** @param eta the step size eta of the expansion (only the ratio eta a / eta^2 K matters, so only for B > 1) */
    public GreatsSelector(int selectBatch, double eta) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("greats needs a positive step size, got " + eta);
        }
        this.selectBatch = selectBatch;
        this.eta = eta;
    }

    /** Most memory the candidates' head gradients may take for the Gram matrix (B > 1). */
    public static final long GRAM_LIMIT_BYTES = 1L << 30;

    /** Fails early when B > 1 would need more than {@link #GRAM_LIMIT_BYTES} of N x d x V head gradients. */
    static void requireGramFits(int selectBatch, int candidates, dev.curlab.model.GptConfig model) {
        long bytes = (long) candidates * model.dModel() * model.vocab() * Float.BYTES;
        dev.curlab.util.UserError.require(selectBatch == 1 || bytes <= GRAM_LIMIT_BYTES,
                "--selector greats with --select-batch " + selectBatch + " keeps the N x d x V head gradients of the candidates ("
                        + (bytes >> 20) + " MiB, over " + (GRAM_LIMIT_BYTES >> 20) + " MiB): use --select-batch 1, fewer --candidates or a smaller model");
    }

    /**
     * The greedy rule: start from score_j = eta a_j; k times take the highest score (ties: lower index),
     * then subtract eta^2 K[pick][j] from every score and retire the pick.
     */
    public static int[] greedy(double[] alignment, double[][] gram, double eta, int k) {
        double[] score = new double[alignment.length];
        for (int j = 0; j < score.length; j++) {
            score[j] = eta * alignment[j];
        }
        boolean[] taken = new boolean[score.length];
        int[] picks = new int[k];
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int j = 0; j < score.length; j++) {
                if (!taken[j] && (best < 0 || score[j] > score[best])) {
                    best = j;
                }
            }
            picks[n] = best;
            taken[best] = true;
            for (int j = 0; j < score.length; j++) {
                score[j] -= eta * eta * gram[best][j];
            }
        }
        return picks;
    }

    /** Reads the scoring pass (the picks' losses, or the head alignment); never the reward. */
    @Override
    public Set<Need> needs() {
        return Set.of(Need.SCORES);
    }

    @Override
    public String name() {
        return "greats";
    }

    @Override
    public boolean needsAlignment() {
        return true;
    }

    @Override
    public boolean needsGram() {
        return selectBatch > 1;
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        if (batch.alignment() == null || (selectBatch > 1 && batch.gram() == null)) {
            throw new IllegalStateException("greats needs the candidates' head alignment (and Gram matrix for B > 1) from the scoring pass");
        }
        double[] a = Picks.toDouble(batch.alignment());
        int[] picks = selectBatch == 1 ? Picks.top(a, 1) : greedy(a, toDouble(batch.gram()), eta, selectBatch);
        metrics.candidateValues(a);
        metrics.put("greats_alignment", a[picks[0]]);
        metrics.put("greats_alignment_mean", Arrays.stream(a).average().orElse(0));
        return Picks.selection(picks);
    }

    private static double[][] toDouble(float[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = Picks.toDouble(m[i]);
        }
        return out;
    }

    /** Deterministic given the batch: nothing to save. */
    @Override
    public SelectorState save() {
        return SelectorState.empty();
    }

    @Override
    public void restore(SelectorState state) {
    }
}
