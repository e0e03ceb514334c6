package dev.curlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW over three steps against hand-computed numbers (bias correction, decoupled decay on matrices only). */
class AdamWTest {
    static final double LR = 0.1;

    @Test
    void threeStepsWithWeightDecayMatchTheHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, -2, 0.5f, 3}, new Shape(2, 2));
            NDArray b = m.create(new float[] {0.5f, -1});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", b);
            AdamW adam = new AdamW(m, 0.9, 0.95, 1e-8, 0.1);
            adam.prepare(params);
            float[][] gw = {{0.1f, -0.2f, 0.3f, -0.4f}, {-0.3f, 0.1f, 0.2f, 0.2f}, {0.05f, 0.05f, -0.1f, 0.4f}};
            float[][] gb = {{0.5f, -0.5f}, {0.1f, 0.2f}, {-0.2f, 0.3f}};
            // Step 1 by hand: the bias-corrected moments are m^ = g, v^ = g^2, so the Adam step is lr * sign(g);
            // the matrix is first decayed by (1 - lr * wd) = 0.99, the bias is not decayed:
            // w = 0.99 * (1, -2, 0.5, 3) - 0.1 * (1, -1, 1, -1) = (0.89, -1.88, 0.395, 3.07); b = (0.4, -0.9).
            // Steps 2 and 3 from the same recurrences in double precision (m = 0.9 m + 0.1 g,
            // v = 0.95 v + 0.05 g^2, m^ = m / (1 - 0.9^t), v^ = v / (1 - 0.95^t), theta -= lr m^ / (sqrt(v^) + 1e-8)).
            float[][] expectW = {{0.89f, -1.88f, 0.395f, 3.07f}, {0.93002958f, -1.83436306f, 0.29354213f, 3.06613694f},
                    {0.94854028f, -1.8097678f, 0.23460868f, 3.00820987f}};
            float[][] expectB = {{0.4f, -0.9f}, {0.31874712f, -0.86512034f}, {0.28369611f, -0.87298054f}};
            for (int t = 0; t < 3; t++) {
                setGradients(m, w, gw[t], b, gb[t]);
                adam.step(params, LR);
                assertArrayEquals(expectW[t], w.toFloatArray(), 2e-6f, "matrix after step " + (t + 1));
                assertArrayEquals(expectB[t], b.toFloatArray(), 2e-6f, "bias after step " + (t + 1));
            }
            assertEquals(3, adam.steps());
        }
    }

    /** Makes the gradients exactly gw and gb by a backward pass of sum(w * gw) + sum(b * gb). */
    private static void setGradients(NDManager m, NDArray w, float[] gw, NDArray b, float[] gb) {
        NDArray tw = m.create(gw, w.getShape());
        NDArray tb = m.create(gb, b.getShape());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients();
            gc.backward(w.mul(tw).sum().add(b.mul(tb).sum()));
        }
        assertArrayEquals(gw, w.getGradient().toFloatArray(), 0f);
        assertArrayEquals(gb, b.getGradient().toFloatArray(), 0f);
    }
}
