package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.optim.Gradients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The chunked head ({@link ChunkedHeadLoss}) against the plain one: the same loss value and the same
 * gradient of every parameter (the tied wte's, embedding and head shares together), within fp32
 * rounding: |a - b| <= 1e-6 + 1e-4 |b| per element.
 */
class ChunkedHeadLossTest {
    private static final GptConfig SHAPE = new GptConfig("custom", 2, 16, 2, 8, 20);
    /** Five rows of 20 fp32 logits per chunk: 24 rows make four full chunks and a tail of four. */
    private static final long FIVE_ROWS = 5L * SHAPE.vocab() * Float.BYTES;

    @Test
    void chunkedLossAndEveryGradientEqualThePlainPath() {
        List<int[]> windows = windows(3, 11);
        float[] weights = {0.5f, 0.2f, 0.3f};
        Run plain = run(0, List.of(windows), List.of(weights));
        Run chunked = run(FIVE_ROWS, List.of(windows), List.of(weights));
        assertEquals(plain.loss, chunked.loss, 1e-6 * Math.abs(plain.loss), "loss");
        assertSameGradients(plain, chunked);
    }

    @Test
    void chunkedGradientsAccumulateOverMicrobatchesLikeThePlainOnes() {
        List<int[]> windows = windows(4, 12);
        List<List<int[]>> parts = List.of(windows.subList(0, 3), windows.subList(3, 4));
        List<float[]> weights = List.of(new float[] {0.1f, 0.4f, 0.2f}, new float[] {0.3f});
        Run plain = run(0, List.of(windows), List.of(new float[] {0.1f, 0.4f, 0.2f, 0.3f}));
        // the second part (8 rows) is above the five-row budget too, so both take the chunked path
        Run chunked = run(FIVE_ROWS, parts, weights);
        assertEquals(plain.loss, chunked.loss, 1e-6 * Math.abs(plain.loss), "loss");
        assertSameGradients(plain, chunked);
    }

    @Test
    void aBatchWithinTheBudgetTakesThePlainPathBitForBit() {
        List<int[]> windows = windows(3, 13);
        float[] weights = {0.5f, 0.2f, 0.3f};
        Run plain = run(0, List.of(windows), List.of(weights));
        Run within = run(3L * 8 * SHAPE.vocab() * Float.BYTES, List.of(windows), List.of(weights)); // exactly the logits' size
        assertEquals(plain.loss, within.loss, 0.0);
        plain.grads.forEach((k, g) -> assertTrue(java.util.Arrays.equals(g, within.grads.get(k)), k));
    }

    private record Run(double loss, Map<String, float[]> grads) {
    }

    /** Zeroed gradients, then one backward per part; the same model seed every time. */
    private static Run run(long updateChunkBytes, List<List<int[]>> parts, List<float[]> weights) {
        try (Gpt2Model model = new Gpt2Model(SHAPE, 7); NDManager step = model.manager().newSubManager()) {
            WindowScorer scorer = new WindowScorer(model, WindowScorer.DEFAULT_LOGIT_BUDGET, updateChunkBytes);
            Gradients.zero(model.parameters().values());
            double loss = 0;
            for (int i = 0; i < parts.size(); i++) {
                loss += scorer.backwardWeightedLoss(step, parts.get(i), weights.get(i));
                System.gc(); // the surrogate's inputs must not depend on Java memory (DJL-NOTES)
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            model.parameters().forEach((k, p) -> {
                try (NDArray g = p.getGradient()) {
                    grads.put(k, g.toFloatArray());
                }
            });
            return new Run(loss, grads);
        }
    }

    private static void assertSameGradients(Run plain, Run chunked) {
        double wteNorm = 0;
        for (Map.Entry<String, float[]> e : plain.grads.entrySet()) {
            float[] a = e.getValue();
            float[] b = chunked.grads.get(e.getKey());
            assertEquals(a.length, b.length, e.getKey());
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6 + 1e-4 * Math.abs(a[i]), e.getKey() + "[" + i + "]");
                if (e.getKey().equals("wte.weight")) {
                    wteNorm += a[i] * (double) a[i];
                }
            }
        }
        assertTrue(wteNorm > 1e-6, "the tied head's gradient is not trivially zero");
    }

    private static List<int[]> windows(int n, long seed) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] w = new int[SHAPE.context() + 1];
            for (int j = 0; j < w.length; j++) {
                w[j] = r.nextInt(SHAPE.vocab());
            }
            out.add(w);
        }
        return out;
    }
}
