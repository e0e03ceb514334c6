package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * First-order credit on the output head. With logits = h W^T (W the tied V x C head), the gradient of
 * a window's mean loss is G_x = (1/T) sum_t (p_t - y_t) h_t^T (p the softmax, y the one-hot target).
 * The alignment of candidate x with a held-out subset D is a_x = <G_D, G_x>, G_D the gradient of D's
 * mean loss: a plain SGD step of size lr on x's loss, applied to the output head alone, changes D's mean
 * log-probability by lr * a_x to first order. That is the only step for which the identity holds: the
 * trainer's step also moves every other parameter (through the tied head, the embedding too), AdamW
 * rescales the gradient coordinate-wise and clipping shortens it, so under training a_x is a proxy for
 * the gain, not its first-order value. It is computed without forming G_x: a_x = (1/T) sum_t (p_t - y_t) . (G_D h_t).
 * Costs one extra (rows x C x V) product per pass over the logits.
 */
final class HeadAlignment {
    private final int vocab;
    private final int dModel;
    private final NDArray gradT;       // (C, V): sum over held-out rows of h_t p_t^T, then G_D^T
    private final float[] targetSum;   // (C * V): sum of h_t over held-out rows by target y_t (the y part)
    private boolean finished;

    HeadAlignment(NDManager manager, int vocab, int dModel) {
        this.vocab = vocab;
        this.dModel = dModel;
        this.gradT = manager.zeros(new Shape(dModel, vocab));
        this.targetSum = new float[dModel * vocab];
    }

    /**
     * Adds held-out rows: h (r, C), probabilities (r, V), targets (r). The p part is one matrix
     * product; the y part is sparse (one column per row), so it is summed here instead of through an
     * (r, V) one-hot matrix.
     */
    void accumulate(NDArray h, NDArray p, NDArray targets) {
        try (NDArray hp = h.transpose().matMul(p)) {                                 // (C, V): sum h_t p_t^T
            gradT.addi(hp);
        }
        float[] hv = h.toFloatArray();
        long[] ys = targets.toLongArray();
        for (int r = 0; r < ys.length; r++) {
            for (int j = 0; j < dModel; j++) {
                targetSum[j * vocab + (int) ys[r]] += hv[r * dModel + j];            // sum h_t y_t^T
            }
        }
    }

    /** Turns the accumulated sums into G_D^T, the mean over {@code rows} held-out rows. */
    void finish(int rows) {
        NDManager m = gradT.getManager();
        gradT.subi(m.create(targetSum, new Shape(dModel, vocab)));
        gradT.muli(m.create(1f / rows));
        finished = true;
    }

    /** Per-row (p_t - y_t) . (G_D h_t) for candidate rows: h (r, C), probabilities (r, V), targets (r). */
    NDArray rows(NDArray h, NDArray p, NDArray targets) {
        if (!finished) {
            throw new IllegalStateException("held-out rows must be accumulated and finished first");
        }
        NDArray u = h.matMul(gradT);                                                // (r, V): G_D h_t
        NDArray pu = p.mul(u);                                                      // (r, V)
        NDArray expected = pu.sum(new int[] {1});                                   // p_t . u_t
        pu.close();
        NDArray atTarget = u.gather(targets.expandDims(-1), -1).squeeze(-1);        // u_t[y_t]
        u.close();
        return expected.subi(atTarget);
    }
}
