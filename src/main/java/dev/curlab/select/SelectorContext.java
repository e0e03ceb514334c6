package dev.curlab.select;

import ai.djl.ndarray.NDManager;

/**
 * What a selector may know about the run when it is created.
 *
 * @param seed       the run's seed (derive a named generator from it)
 * @param candidates N, candidates per step
 * @param hiddenDim  d, width of the hidden states in {@link CandidateBatch#hidden()}
 * @param steps      total training steps of the run
 * @param manager    a manager the selector may own sub-managers of for its tensors
 * @param settings   selector options
 */
public record SelectorContext(long seed, int candidates, int hiddenDim, long steps, NDManager manager,
                              SelectorSettings settings) {
}
