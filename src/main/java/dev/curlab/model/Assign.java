package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Overwrites an array's values in place (parameters, optimizer moments, Q-networks), exactly.
 * DJL's {@code NDArray.set(float[])} and {@code copyTo} go through a native path that constructs
 * PyTorch's deprecated {@code AutoNonVariableTypeMode}, which prints a deprecation warning to stderr
 * once per process; an indexed put over the whole array ({@code index_put_}) copies the same bits
 * without it. Call outside a gradient collector, as for any in-place write to a parameter.
 */
public final class Assign {
    private static final NDIndex ALL = new NDIndex("...");

    private Assign() {
    }

    /** target <- values (row-major, target's shape). */
    public static void values(NDArray target, float[] values) {
        if (values.length != target.getShape().size()) {
            throw new IllegalArgumentException("cannot assign " + values.length + " values to an array of shape " + target.getShape());
        }
        try (NDManager tmp = target.getManager().newSubManager()) {
            target.set(ALL, tmp.create(values, target.getShape()));
        }
    }

    /** target <- source, of the same shape (source may live on another manager). */
    public static void from(NDArray target, NDArray source) {
        values(target, source.toFloatArray());
    }
}
