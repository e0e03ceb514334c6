package dev.curlab.model;

/**
 * What one scoring pass over a step's candidates and a held-out subset yields.
 *
 * @param candidates  the candidates' losses, entropies and hidden states
 * @param heldoutLoss mean next-token loss of each held-out window (nats per token); empty when none were given
 * @param alignment   per candidate, the {@link HeadAlignment} with the held-out subset; {@code null} unless requested
 * @param gram        (N x N) inner products of the candidates' head gradients ({@link HeadGradients}); {@code null} unless requested
 */
public record StepScores(WindowScores candidates, float[] heldoutLoss, float[] alignment, float[][] gram) {

    /** Scores without the candidates' Gram matrix. */
    public StepScores(WindowScores candidates, float[] heldoutLoss, float[] alignment) {
        this(candidates, heldoutLoss, alignment, null);
    }

    /** Mean log-probability per token of the held-out subset. */
    public double heldoutLogProb() {
        return meanLogProb(heldoutLoss);
    }

    /** Mean log-probability per token of windows of equal length, from their mean losses. */
    public static double meanLogProb(float[] losses) {
        double sum = 0;
        for (float l : losses) {
            sum += l;
        }
        return -sum / losses.length;
    }
}
