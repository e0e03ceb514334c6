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
 * @param target     the held-out target distribution's source shares (empty when unlabelled); only
 *                   reference selectors such as oracle-mixture may read it
 * @param model      the LM's shape (for selectors that train a model of their own, e.g. RHO-LOSS)
 * @param heldout    the held-out reward pool D (never the evaluation set)
 * @param train      the run's configuration values a selector may need to mirror (lr, clip, ...)
 */
public record SelectorContext(long seed, int candidates, int hiddenDim, long steps, NDManager manager,
                              SelectorSettings settings, java.util.Map<String, Double> target,
                              dev.curlab.model.GptConfig model, java.util.List<dev.curlab.data.Window> heldout,
                              java.util.Map<String, Object> train) {
}
