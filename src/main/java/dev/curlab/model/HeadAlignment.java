package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * First-order credit on the output head. With logits = h W^T (W the tied V x C head), the gradient of
 * a window's mean loss is G_x = (1/T) sum_t (p_t - y_t) h_t^T (p the softmax, y the one-hot target).
 * The alignment of candidate x with a held-out subset D is a_x = <G_D, G_x>, G_D the gradient of D's
 * mean loss: a step of size lr on x changes D's mean log-probability by lr * a_x to first order
 * (restricted to the head). It is computed without forming G_x: a_x = (1/T) sum_t (p_t - y_t) . (G_D h_t).
 * Costs one extra (rows x C x V) product per pass over the logits.
 */
final class HeadAlignment {
    private final int vocab;
    private NDArray gradD;       // (V, C): first the sum, then the mean over the held-out rows
    private boolean finished;

    HeadAlignment(NDManager manager, int vocab, int dModel) {
        this.vocab = vocab;
        this.gradD = manager.zeros(new Shape(vocab, dModel));
    }

    /** Adds held-out rows: h (r, C), log-probabilities (r, V), targets (r). */
    void accumulate(NDArray h, NDArray logp, NDArray targets) {
        NDArray residual = logp.exp().subi(targets.oneHot(vocab).toType(DataType.FLOAT32, false)); // p - y, (r, V)
        gradD.addi(residual.transpose().matMul(h));                                                 // (V, C)
    }

    /** Turns the accumulated sum into the mean over {@code rows} held-out rows. */
    void finish(int rows) {
        NDArray scale = gradD.getManager().create(1f / rows);
        gradD.muli(scale);
        finished = true;
    }

    /** Per-row (p_t - y_t) . (G_D h_t) for candidate rows: h (r, C), log-probabilities (r, V), targets (r). */
    NDArray rows(NDArray h, NDArray logp, NDArray targets) {
        if (!finished) {
            throw new IllegalStateException("held-out rows must be accumulated and finished first");
        }
        NDArray u = h.matMul(gradD.transpose());                                    // (r, V): G_D h_t
        NDArray expected = logp.exp().muli(u).sum(new int[] {1});                   // p_t . u_t
        return expected.subi(u.gather(targets.expandDims(-1), -1).squeeze(-1));     // - u_t[y_t]
    }
}
