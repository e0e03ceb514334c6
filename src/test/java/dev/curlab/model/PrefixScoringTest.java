package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.curlab.data.Window;
import dev.curlab.select.CandidateBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * --score-tokens P: scoring each candidate's first P predictions gives what one full forward of the
 * whole window gives at those positions (the model is causal): the mean of its first P next-token
 * losses, computed here by hand from the full pass's logits, and its hidden state at position P.
 */
class PrefixScoringTest {
    private static final int T = 16;
    private static final int P = 5;

    @Test
    void aPrefixScoresAsTheFullPassAtItsPositions() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", T, 257), 11)) {
            WindowScorer scorer = new WindowScorer(model);
            Random r = new Random(2);
            List<Window> windows = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int[] w = new int[T + 1];
                for (int j = 0; j < w.length; j++) {
                    w[j] = r.nextInt(257);
                }
                windows.add(new Window(i, w, "s", Double.NaN));
            }
            List<int[]> prefixes = CandidateBatch.prefixes(windows, P);
            assertEquals(P + 1, prefixes.get(0).length);
            assertArrayEquals(java.util.Arrays.copyOf(windows.get(2).tokens(), P + 1), prefixes.get(2));
            try (NDManager step = model.manager().newSubManager()) {
                WindowScores s = scorer.score(step, prefixes, false, true);
                for (int i = 0; i < windows.size(); i++) {
                    int[] w = windows.get(i).tokens();
                    int[] input = java.util.Arrays.copyOf(w, T);
                    NDArray ids = step.create(input).reshape(1, T);
                    NDArray hidden = model.hidden(step, ids);                       // (1, T, C)
                    NDArray logp = model.logits(step, hidden).logSoftmax(-1);        // (1, T, V)
                    double sum = 0;
                    for (int t = 0; t < P; t++) {
                        sum -= logp.get(new NDIndex(0, t, w[t + 1])).getFloat();
                    }
                    assertEquals(sum / P, s.loss()[i], 1e-5, "window " + i);
                    float[] h = hidden.get(new NDIndex(0, P - 1)).toFloatArray();
                    assertArrayEquals(h, s.hidden().get(i).toFloatArray(), 1e-5f, "hidden state of window " + i);
                }
            }
        }
    }
}
