package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Scalar constants and causal masks used inside differentiable ops, held as tensors in the model's
 * long-lived manager. Never use Java numbers in ops that autograd records: the engine wraps them in a
 * temporary tensor that is freed before the backward pass reads it (see DJL-NOTES).
 */
final class ModelConstants {
    final NDArray half;          // 0.5
    final NDArray one;           // 1
    final NDArray geluCoef;      // 0.044715
    final NDArray sqrtTwoOverPi; // sqrt(2/pi)
    final NDArray attnScale;     // 1/sqrt(head_dim)
    private final NDManager manager;
    private final Map<Integer, NDArray> masks = new HashMap<>();

    ModelConstants(NDManager manager, int headDim) {
        this.manager = manager;
        half = scalar(0.5f);
        one = scalar(1f);
        geluCoef = scalar(0.044715f);
        sqrtTwoOverPi = scalar((float) Math.sqrt(2.0 / Math.PI));
        attnScale = scalar((float) (1.0 / Math.sqrt(headDim)));
    }

    private NDArray scalar(float v) {
        return manager.create(v);
    }

    /** Additive causal mask (T, T): 0 on and below the diagonal, -1e9 above. Cached per length. */
    synchronized NDArray causalMask(int t) {
        return masks.computeIfAbsent(t, len -> {
            float[] m = new float[len * len];
            for (int i = 0; i < len; i++) {
                for (int j = i + 1; j < len; j++) {
                    m[i * len + j] = -1e9f;
                }
            }
            return manager.create(m, new Shape(len, len)).toType(DataType.FLOAT32, false);
        });
    }
}
