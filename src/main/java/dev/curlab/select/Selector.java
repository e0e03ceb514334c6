package dev.curlab.select;

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

    /** Window tags a selector may require. */
    enum Label {
        SOURCE, DIFFICULTY
    }
}
