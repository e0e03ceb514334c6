package dev.curlab.data;

/**
 * What a stream is used for. Generated data draws a different seed per role, so the roles'
 * windows are disjoint in practice; {@link BuiltinMixture} also restricts {@link #HELDOUT} and
 * {@link #EVAL} to the learnable target sources.
 */
public enum Role {
    /** The candidate stream the curriculum selects from: every source, distractors included. */
    TRAIN,
    /** The held-out target distribution whose loss rewards the selector (the pool D). */
    HELDOUT,
    /** The fixed evaluation set, drawn from the same target distribution as {@link #HELDOUT}. */
    EVAL
}
