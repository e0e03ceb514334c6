package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import java.util.List;

/**
 * Generation without a cache, the reference the cached decoder is tested against: each new token
 * recomputes the whole right-padded prefix of every active row, exact under the causal mask (a row's
 * logits at its last real position do not see the padding after it). Each pass's temporaries live in
 * a sub-manager closed at its end.
 */
final class NaiveDecoder implements Decoder {
    private final Gpt2Model model;
    private final NDManager parent;
    private long forwardTokens;

    NaiveDecoder(Gpt2Model model, NDManager parent) {
        this.model = model;
        this.parent = parent;
    }

    @Override
    public float[][] next(List<Integer> active, int[][] seq, int[] length) {
        int n = active.size();
        int len = 0;
        for (int i : active) {
            len = Math.max(len, length[i]);
        }
        long[] ids = new long[n * len];
        long[] last = new long[n];
        for (int a = 0; a < n; a++) {
            int i = active.get(a);
            for (int j = 0; j < length[i]; j++) {
                ids[a * len + j] = seq[i][j];
            }
            last[a] = (long) a * len + length[i] - 1;
        }
        forwardTokens += (long) n * len;                                                   // rows x padded length
        try (NDManager sm = parent.newSubManager()) {
            NDArray x = sm.create(ids, new Shape(n, len));
            NDArray h = model.hiddenForScoring(sm, x).reshape(-1, model.config().dModel());     // (n*L, C)
            NDArray rows = h.get(new NDIndex("{}", sm.create(last)));                       // (n, C)
            return Decoder.rowLogits(sm, model, rows);
        }
    }

    @Override
    public long forwardTokens() {
        return forwardTokens;
    }

    @Override
    public void close() {
    }
}
