package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.model.GptConfig;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

class GreatsSelectorTest {
    static final double[] A = {1.0, 0.9, 0.2, -0.5};
    static final double[][] K = {
        {2.0, 1.5, 0.0, 0.0},
        {1.5, 2.0, 0.0, 0.0},
        {0.0, 0.0, 1.0, 0.0},
        {0.0, 0.0, 0.0, 1.0}};

    @Test
    void greedyRuleMatchesHandComputedScores() {
        // eta 0.5: scores 0.5 a = [0.5, 0.45, 0.1, -0.25]; pick 0.
        // minus 0.25 K[0] = [0.5, 0.375, 0, 0]: [0, 0.075, 0.1, -0.25]; pick 2, not the near-duplicate 1.
        // minus 0.25 K[2]: [., 0.075, ., -0.25]; pick 1.
        assertArrayEquals(new int[] {0, 2, 1}, GreatsSelector.greedy(A, K, 0.5, 3));
        // without interactions (K = 0) it is the top-3 by alignment
        assertArrayEquals(new int[] {0, 1, 2}, GreatsSelector.greedy(A, new double[4][4], 0.5, 3));
        // a smaller step weighs the interaction less: eta 0.1 gives [0.1, 0.09, 0.02] - 0.01 K[0] = 0.075 > 0.02
        assertArrayEquals(new int[] {0, 1}, GreatsSelector.greedy(A, K, 0.1, 2));
    }

    static CandidateBatch batch(float[] alignment, float[][] gram) {
        CandidateBatch b = Batches.ofLosses(3, new float[alignment.length]);
        return new CandidateBatch(b.step(), b.windows(), b.loss(), b.entropy(), null, alignment, gram);
    }

    @Test
    void selectsByAlignmentAndUsesTheGramMatrixOnlyForBatches() {
        float[] a = {1.0f, 0.9f, 0.2f, -0.5f};
        float[][] k = new float[4][];
        for (int i = 0; i < 4; i++) {
            k[i] = new float[4];
            for (int j = 0; j < 4; j++) {
                k[i][j] = (float) K[i][j];
            }
        }
        GreatsSelector one = new GreatsSelector(1, 0.5);
        assertTrue(one.needsAlignment());
        assertTrue(!one.needsGram());
        StepMetrics m = new StepMetrics();
        assertArrayEquals(new int[] {0}, one.select(batch(a, null), m).train());
        assertEquals(1.0, (Double) m.get("greats_alignment"), 1e-6);
        assertEquals(0.4, (Double) m.get("greats_alignment_mean"), 1e-6);   // (1 + 0.9 + 0.2 - 0.5) / 4

        GreatsSelector three = new GreatsSelector(3, 0.5);
        assertTrue(three.needsGram());
        Selection s = three.select(batch(a, k), new StepMetrics());
        assertArrayEquals(new int[] {0, 2, 1}, s.train());
        assertThrows(IllegalStateException.class, () -> three.select(batch(a, null), new StepMetrics()));
    }

    @Test
    void refusesAGramMatrixThatWouldNotFitInMemory() {
        GptConfig gpt2 = new GptConfig("gpt2", 12, 768, 12, 1024, 50257);
        GreatsSelector.requireGramFits(1, 64, gpt2);                       // B = 1 needs no Gram matrix
        UserError e = assertThrows(UserError.class, () -> GreatsSelector.requireGramFits(4, 16, gpt2));
        assertEquals("--selector greats with --select-batch 4 keeps the N x d x V head gradients of the candidates (2355 MiB, "
                + "over 1024 MiB): use --select-batch 1, fewer --candidates or a smaller model", e.getMessage());
    }
}
