package dev.curlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LM update's clipping: a plain SGD step moves theta by exactly -lr * g * min(1, G / |g|). */
class GradientStepTest {
    static final GptConfig SHAPE = new GptConfig("custom", 1, 16, 2, 8, 20);

    @Test
    void clippedSgdStepMovesThetaByMinusLrTimesTheRescaledGradient() {
        double lr = 0.5;
        for (double ratio : new double[] {0.25, 4.0}) { // G below the gradient norm (clipped), then above (untouched)
            try (Gpt2Model model = new Gpt2Model(SHAPE, 3); NDManager step = model.manager().newSubManager()) {
                GradientStep probe = new GradientStep(new WindowScorer(model), new Sgd(), 0, 8);
                double norm = probe.backward(step, windows(), new float[] {0.5f, 0.5f}).gradNorm();
                double clip = ratio * norm;
                GradientStep update = new GradientStep(new WindowScorer(model), new Sgd(), clip, 8);
                GradientStep.Result r = update.backward(step, windows(), new float[] {0.5f, 0.5f});
                assertEquals(norm, r.gradNorm(), 1e-6 * norm);
                Map<String, float[]> theta = new LinkedHashMap<>();
                Map<String, float[]> grad = new LinkedHashMap<>();
                model.parameters().forEach((k, p) -> {
                    theta.put(k, p.toFloatArray());
                    grad.put(k, p.getGradient().toFloatArray());
                });
                update.apply(lr, r.gradNorm());
                double scale = Math.min(1, clip / norm);
                double moved = 0;
                for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                    float[] after = e.getValue().toFloatArray();
                    float[] before = theta.get(e.getKey());
                    float[] g = grad.get(e.getKey());
                    for (int i = 0; i < after.length; i++) {
                        double expected = before[i] - lr * g[i] * scale;
                        assertEquals(expected, after[i], 1e-6 + 1e-5 * Math.abs(lr * g[i]), e.getKey() + "[" + i + "] with G/|g| = " + ratio);
                        moved += (after[i] - before[i]) * (double) (after[i] - before[i]);
                    }
                }
                // |delta theta| = lr * min(|g|, G)
                assertEquals(lr * Math.min(norm, clip), Math.sqrt(moved), 1e-3 * lr * Math.min(norm, clip), "step length, G/|g| = " + ratio);
                assertTrue(norm > 0);
            }
        }
    }

    private static List<int[]> windows() {
        List<int[]> w = new ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 2; i++) {
            int[] t = new int[SHAPE.context() + 1];
            for (int j = 0; j < t.length; j++) {
                t[j] = r.nextInt(SHAPE.vocab());
            }
            w.add(t);
        }
        return w;
    }
}
