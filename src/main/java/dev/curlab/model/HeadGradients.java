package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates' output-head gradients and their Gram matrix K_ij = <G_i, G_j> (what GREATS's greedy
 * batch rule needs for the interaction between picks). With logits = h W^T, a window's mean-loss
 * gradient is G_x = (1/T) sum_t h_t (p_t - y_t)^T, kept transposed as a (C, V) matrix and summed chunk
 * by chunk of rows from the scoring pass's own logits. Memory: N x C x V floats; compute: one more
 * (rows x C x V) product per pass over the candidates' logits, plus the (N x CV) by (CV x N) Gram.
 */
final class HeadGradients {
    private final int length;             // T, rows per window
    private final int vocab;
    private final List<NDArray> grads;    // per window, (C, V): sum_t h_t (p_t - y_t)^T

    HeadGradients(NDManager manager, int windows, int length, int dModel, int vocab) {
        this.length = length;
        this.vocab = vocab;
        this.grads = new ArrayList<>(windows);
        for (int w = 0; w < windows; w++) {
            grads.add(manager.zeros(new Shape(dModel, vocab)));
        }
    }

    /**
     * Adds candidate rows [from, from + r): h (r, C), probabilities (r, V), targets (r), each row
     * to the window it belongs to (row / T).
     */
    void accumulate(int from, NDArray h, NDArray p, NDArray targets) {
        NDArray e = p.sub(targets.oneHot(vocab));                                    // (r, V): p_t - y_t
        int to = from + (int) h.getShape().get(0);
        for (int w = from / length; w * length < to; w++) {
            int lo = Math.max(from, w * length) - from;
            int hi = Math.min(to, (w + 1) * length) - from;
            NDIndex rows = new NDIndex(lo + ":" + hi);
            grads.get(w).addi(h.get(rows).transpose().matMul(e.get(rows)));           // (C, V)
        }
    }

    /** K_ij = <G_i, G_j> with G the mean over each window's T rows, as an N x N array. */
    float[][] gram() {
        int n = grads.size();
        try (NDManager gm = grads.get(0).getManager().newSubManager()) {
            NDList flat = new NDList(n);
            for (NDArray g : grads) {
                NDArray f = g.reshape(1, -1);                                          // (1, C*V)
                f.attach(gm);
                flat.add(f);
            }
            NDArray stacked = NDArrays.concat(flat, 0);                                // (N, C*V)
            stacked.attach(gm);
            float[] k = stacked.matMul(stacked.transpose()).toFloatArray();          // (N, N): sums over T^2 row pairs
            float[][] out = new float[n][n];
            double scale = 1.0 / ((double) length * length);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] = (float) (k[i * n + j] * scale);
                }
            }
            return out;
        }
    }
}
