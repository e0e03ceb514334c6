package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import java.util.List;

/**
 * The policy's final-LayerNorm hidden state at each prompt's last token, from one no-grad pass over
 * the right-padded prompts (exact under the causal mask: a row's last real position never sees the
 * padding after it). What the {@code curator} scorer reads; the trainer charges the forward tokens.
 */
final class PromptHidden {
    private PromptHidden() {
    }

    /** Rows of {@code hidden} (prompts, C), and the token positions the pass computed (prompts x padded length). */
    record Result(float[][] hidden, long forwardTokens) {
    }

    static Result of(Gpt2Model model, NDManager parent, List<int[]> prompts) {
        int n = prompts.size();
        int len = 0;
        for (int[] p : prompts) {
            len = Math.max(len, p.length);
        }
        long[] ids = new long[n * len];
        long[] last = new long[n];
        for (int i = 0; i < n; i++) {
            int[] p = prompts.get(i);
            for (int j = 0; j < p.length; j++) {
                ids[i * len + j] = p[j];
            }
            last[i] = (long) i * len + p.length - 1;
        }
        int c = model.config().dModel();
        float[][] out = new float[n][];
        try (NDManager sm = parent.newSubManager()) {
            NDArray x = sm.create(ids, new Shape(n, len));                                   // (N, L)
            NDArray h = model.hiddenForScoring(sm, x).reshape(-1, c);                        // (N*L, C)
            float[] flat = h.get(new NDIndex("{}", sm.create(last))).toFloatArray();        // (N, C)
            for (int i = 0; i < n; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
            }
        }
        return new Result(out, (long) n * len);
    }
}
