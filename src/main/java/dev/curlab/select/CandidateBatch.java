package dev.curlab.select;

import ai.djl.ndarray.NDArray;
import dev.curlab.data.Window;
import java.util.List;

/**
 * The N candidates of one step with what the single scoring pass measured on each (under the model's
 * parameters theta_k before this step's update).
 *
 * @param step    the training step k
 * @param windows the candidates C_k, with their tags
 * @param loss    per-candidate mean next-token loss (nats/token)
 * @param entropy per-candidate mean predictive entropy (nats/token); {@code null} unless the selector
 *                asks for it ({@link Selector#needsEntropy()})
 * @param hidden  (N, d) detached final-LayerNorm hidden states at the last token, H_k; valid only
 *                during the step (it lives in the step's manager: copy what you keep)
 * @param alignment per candidate, the dot product of its loss gradient and the step's held-out subset's
 *                with respect to the output head (first-order held-out gain per unit of learning rate);
 *                {@code null} unless the selector asks for it ({@link Selector#needsAlignment()})
 * @param scored  predictions of each window the scoring pass read (its first {@code scored}; --score-tokens)
 * @param gram    (N x N) inner products of the candidates' loss gradients with respect to the output head,
 *                K_ij = <G_i, G_j>; {@code null} unless the selector asks for it ({@link Selector#needsGram()})
 */
public record CandidateBatch(long step, List<Window> windows, float[] loss, float[] entropy, NDArray hidden,
                             float[] alignment, float[][] gram, int scored) {

    /** A batch whose windows were scored whole. */
    public CandidateBatch(long step, List<Window> windows, float[] loss, float[] entropy, NDArray hidden,
                          float[] alignment, float[][] gram) {
        this(step, windows, loss, entropy, hidden, alignment, gram, windows.isEmpty() ? 0 : windows.get(0).predictions());
    }

    /** A batch without the candidates' Gram matrix. */
    public CandidateBatch(long step, List<Window> windows, float[] loss, float[] entropy, NDArray hidden,
                          float[] alignment) {
        this(step, windows, loss, entropy, hidden, alignment, null);
    }

    /** A batch without alignments. */
    public CandidateBatch(long step, List<Window> windows, float[] loss, float[] entropy, NDArray hidden) {
        this(step, windows, loss, entropy, hidden, null, null);
    }

    public int size() {
        return windows.size();
    }

    public Window window(int i) {
        return windows.get(i);
    }

    /** The tokens the scoring pass read: each window's first {@link #scored()} predictions (a selector's own model reads the same). */
    public List<int[]> scoredTokens() {
        return prefixes(windows, scored);
    }

    /** Each window's first {@code predictions} predictions (its first predictions + 1 tokens). */
    public static List<int[]> prefixes(List<Window> windows, int predictions) {
        List<int[]> out = new java.util.ArrayList<>(windows.size());
        for (Window w : windows) {
            int[] t = w.tokens();
            out.add(predictions >= t.length - 1 ? t : java.util.Arrays.copyOf(t, predictions + 1));
        }
        return out;
    }
}
