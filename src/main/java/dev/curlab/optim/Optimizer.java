package dev.curlab.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A first-order optimizer over named parameters whose gradients were filled by a backward pass.
 * Owns its state, so a checkpoint can save and restore it exactly. Updates run outside any gradient
 * collector, so Java numbers in the update arithmetic are safe.
 */
public interface Optimizer {

    /** Applies one update with learning rate {@code lr} and leaves the gradients untouched. */
    void step(Map<String, NDArray> parameters, double lr);

    /** Optimizer state tensors by name (empty for stateless optimizers). */
    Map<String, NDArray> state();

    /** Scalar state, e.g. the step counter. */
    long steps();

    /** Restores state saved from {@link #state()} and {@link #steps()}. */
    void restore(Map<String, float[]> state, long steps);

    String name();
}
