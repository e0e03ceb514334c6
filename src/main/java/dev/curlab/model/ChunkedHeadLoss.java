package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loss's output head and cross-entropy in chunks of rows, so the (rows x V) logits are
 * never materialised whole nor kept for the backward pass (as fused linear cross-entropy kernels do).
 * With logits z_t = W h_t (W the tied V x C head), p_t = softmax(z_t) and s_t the weight of row t
 * (w_i / T for a row of window i), the loss is L = sum_t s_t (log sum exp z_t - z_t[y_t]) and
 *
 * <pre>
 *   dL/dh_t = s_t (p_t - y_t) W           (C)      G_h, handed back for the body's backward
 *   dL/dW   = sum_t s_t (p_t - y_t) h_t^T  (V, C)   G_W, for the caller to add to W's gradient
 * </pre>
 *
 * Both are computed outside the autograd graph, chunk by chunk; the caller then back-propagates the
 * surrogate sum(h * G_h) (G_h detached), whose gradient with respect to h is G_h, through the body
 * (the embedding's share of W's gradient included), and adds G_W to W's gradient. Memory: a chunk's two
 * (r x V) arrays, G_h (rows x C) and two (V x C), instead of several (rows x V) arrays alive until backward.
 */
final class ChunkedHeadLoss {
    private ChunkedHeadLoss() {
    }

    /** The loss value L, G_h (rows, C) and G_W (V, C), detached, in the step manager. */
    record Result(double loss, NDArray gradHidden, NDArray gradHead) {
    }

    /**
     * @param hidden     final hidden states (rows, C), detached (no graph)
     * @param targets    next-token ids (rows) int64
     * @param rowScale   s_t per row (rows), the weight of the row's window over its length
     * @param head       the tied head W (V, C), detached
     * @param chunkRows  rows per chunk
     */
    static Result compute(NDManager step, NDArray hidden, NDArray targets, float[] rowScale, NDArray head, int chunkRows) {
        int rows = Math.toIntExact(hidden.getShape().get(0));
        if (rowScale.length != rows || targets.getShape().get(0) != rows) {
            throw new IllegalArgumentException("rows: hidden " + rows + ", targets " + targets.getShape().get(0) + ", scales " + rowScale.length);
        }
        NDArray scale = step.create(rowScale, new Shape(rows, 1));                       // (rows, 1)
        NDArray headT = head.transpose();                                                // (C, V)
        List<NDArray> gradParts = new ArrayList<>();
        NDArray gradHead = null;
        double loss = 0;
        for (int from = 0; from < rows; from += chunkRows) {
            int to = Math.min(rows, from + chunkRows);
            try (NDManager cm = step.newSubManager()) {
                NDIndex range = new NDIndex(from + ":" + to);
                NDArray h = hidden.get(range);                                            // (r, C)
                NDArray y = targets.get(range);                                           // (r)
                NDArray s = scale.get(range);                                             // (r, 1)
                h.attach(cm);
                y.attach(cm);
                s.attach(cm);
                NDArray logits = h.matMul(headT);                                         // (r, V)
                NDArray logp = logits.logSoftmax(-1);                                     // (r, V)
                logits.close();
                NDIndex atTarget = new NDIndex("{}, {}", cm.arange(0, to - from, 1, DataType.INT64), y);
                NDArray logpY = logp.get(atTarget);                                       // (r)
                float[] nll = logpY.toFloatArray();
                for (int r = 0; r < nll.length; r++) {
                    loss -= (double) rowScale[from + r] * nll[r];
                }
                NDArray g = logp.exp();                                                   // (r, V): p
                logp.close();
                g.set(atTarget, logpY.exp().subi(1f));                                   // p - y (no graph: plain numbers are safe)
                NDArray gh = g.matMul(head).muli(s);                                      // (r, C): s (p - y) W
                NDArray gw = g.transpose().matMul(h.mul(s));                              // (V, C): sum s (p - y) h^T
                if (gradHead == null) {
                    gw.attach(step);
                    gradHead = gw;
                } else {
                    gradHead.addi(gw);
                }
                gh.attach(step);
                gradParts.add(gh);
            }
        }
        NDArray gradHidden = gradParts.size() == 1 ? gradParts.get(0) : NDArrays.concat(new NDList(gradParts));
        return new Result(loss, gradHidden, gradHead);
    }
}
