package dev.curlab.select;

/**
 * What followed a selection: the reward r_k measured after the LM update (paper eq. 1, per token).
 *
 * @param step      the training step k
 * @param reward    mean held-out log-probability per token after the update
 * @param trainLoss the weighted training loss of the update (before it was applied)
 * @param selection what was trained on
 * @param batch     the candidates the selection came from
 */
public record Outcome(long step, double reward, double trainLoss, Selection selection, CandidateBatch batch) {
}
