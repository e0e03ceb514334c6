package dev.curlab.select;

import java.util.EnumSet;
import java.util.Set;

/**
 * A curriculum strategy. The trainer calls, once per step k and in this order (Algorithm 1):
 * <ol>
 *   <li>{@link #learn} with the freshly scored candidates C_k — where a learned selector completes
 *       the previous step's transition (lines 14-20: the next state's scores are only known now);</li>
 *   <li>{@link #select} on the same candidates — the action(s) and loss weights (lines 21-23);</li>
 *   <li>{@link #observe} after the LM update, with the reward r_k (lines 24-27).</li>
 * </ol>
 * The trainer never asks which selector it holds. A selector owns its state and its randomness.
 */
public interface Selector extends AutoCloseable {

    /** The name used on the command line. */
    String name();

    /** Tags the selector needs on every training window. */
    default Set<Label> requires() {
        return Set.of();
    }

    /**
     * What this selector reads each step; the trainer runs (and a comparison charges) only those
     * passes. Default: everything, so a selector that does not declare pays for what it might read.
     * Without {@link Need#SCORES} (and without entropy or alignment) the batch's loss and hidden
     * states are {@code null}; without {@link Need#REWARD} the {@link Outcome#reward()} is NaN except
     * on steps that end in an evaluation, where the trainer measures it for the log.
     */
    default Set<Need> needs() {
        return EnumSet.allOf(Need.class);
    }

    /**
     * Windows the LM update trains on per step: B ({@code selectBatch}) unless the selector trains on
     * every candidate (soft-q's soft mixture). Used to cost a step before the run (--budget-flops).
     */
    default int examplesPerStep(int candidates, int selectBatch) {
        return selectBatch;
    }

    /**
     * Tokens a model of the selector's own (of the LM's shape unless {@link #ownShape()} says otherwise) forwards per step (RHO-LOSS's
     * irreducible-loss model over the N candidates); what it logs as {@code il_forward_tokens}.
     */
    default long ownForwardTokensPerStep(int candidates, int predictions) {
        return 0;
    }

    /** The shape of that model, or null when there is none or it has the LM's shape (charged at the LM's FLOPs per token). */
    default dev.curlab.model.GptConfig ownShape() {
        return null;
    }

    /** Tokens that model trains on, once, before the first step; what it logs as {@code il_train_tokens}. */
    default long ownTrainTokens() {
        return 0;
    }

    /**
     * Whether this selector reads {@link CandidateBatch#entropy()}. Entropy costs extra passes over
     * the logits (B x T x V), so the scoring pass computes it only for selectors that ask; otherwise
     * the batch's entropy is {@code null}.
     */
    default boolean needsEntropy() {
        return false;
    }

    /**
     * Whether this selector reads {@link CandidateBatch#alignment()}, the candidates' first-order credit
     * against the step's held-out subset. It costs one more head product per pass over the logits, and
     * the held-out subset is then scored before the update, in the scoring step.
     */
    default boolean needsAlignment() {
        return false;
    }

    /**
     * Whether this selector reads {@link CandidateBatch#gram()}, the inner products of the candidates'
     * output-head gradients. It costs N x d x V floats and one more head product per candidate row.
     */
    default boolean needsGram() {
        return false;
    }

    /**
     * The reward this selector learns best from when the user leaves {@code --reward auto}:
     * "absolute" (the paper's eq. 1) or "paired-delta". Selectors that ignore the reward keep the default.
     */
    default String rewardKind() {
        return "absolute";
    }

    /** Learns from the pending transition now that C_k is scored. Default: nothing to learn. */
    default void learn(CandidateBatch next, StepMetrics metrics) {
    }

    /** Chooses what to train on at this step. */
    Selection select(CandidateBatch batch, StepMetrics metrics);

    /** Receives the reward of the step's update. Default: ignored. */
    default void observe(Outcome outcome, StepMetrics metrics) {
    }

    /** Everything needed to continue exactly after a restart. */
    SelectorState save();

    /** Restores what {@link #save()} returned (tensors may live in a temporary manager: copy them). */
    void restore(SelectorState state);

    @Override
    default void close() {
    }

    /** What a selector may read each step. */
    enum Need {
        /** The no-grad scoring pass over the N candidates: {@link CandidateBatch#loss()} and {@link CandidateBatch#hidden()}. */
        SCORES,
        /**
         * Only {@link CandidateBatch#hidden()}: the scoring pass runs without the output head, and the
         * batch's loss is {@code null} (with {@link #SCORES} too, the full pass runs).
         */
        HIDDEN,
        /** The held-out reward of every step's update, {@link Outcome#reward()} (one or two forward passes of M windows). */
        REWARD
    }

    /** Window tags a selector may require. */
    enum Label {
        SOURCE, DIFFICULTY
    }
}
