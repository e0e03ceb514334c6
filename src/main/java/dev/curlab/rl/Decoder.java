package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.model.Gpt2Model;
import java.util.Arrays;
import java.util.List;

/**
 * The forward passes of batched generation: one call per generated token gives the logits at each
 * active row's next position. Rows only ever leave the active set (a finished row never returns).
 */
interface Decoder extends AutoCloseable {

    /**
     * Logits (V) for each row of {@code active} (ascending row indices), in that order. {@code seq[i]}
     * holds row i's prompt then its tokens so far, {@code length[i]} of them.
     */
    float[][] next(List<Integer> active, int[][] seq, int[] length);

    /** Each row's logits (V) from the hidden states {@code rows} (n, C), as arrays. */
    static float[][] rowLogits(NDManager sm, Gpt2Model model, NDArray rows) {
        int n = (int) rows.getShape().get(0);
        int vocab = model.config().vocab();
        float[] flat = model.logits(sm, rows).toFloatArray();                               // (n, V)
        float[][] out = new float[n][];
        for (int a = 0; a < n; a++) {
            out[a] = Arrays.copyOfRange(flat, a * vocab, (a + 1) * vocab);
        }
        return out;
    }

    /** Token positions the forward passes computed so far (for the FLOP count). */
    long forwardTokens();

    @Override
    void close();
}
