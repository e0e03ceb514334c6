package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.curlab.optim.Gradients;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients against finite differences, and the same gradients again with garbage collection and
 * fresh direct-buffer allocations forced between forward and backward (the trap of Java numbers in
 * differentiable ops, see DJL-NOTES: a freed constant makes backward read garbage).
 */
class GradientCheckTest {
    static final GptConfig CFG = new GptConfig("custom", 2, 16, 2, 8, 20);
    static final String[] CHECKED = {"wte.weight", "wpe.weight", "h.0.ln_1.weight", "h.0.attn.c_attn.weight",
        "h.1.attn.c_proj.bias", "h.1.mlp.c_fc.weight", "h.1.mlp.c_proj.weight", "ln_f.bias"};

    private static Map<String, float[]> gradients(Gpt2Model m, List<int[]> windows, float[] weights, boolean forceGc) {
        Gradients.zero(m.parameters().values());
        try (NDManager step = m.manager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray w = step.create(weights);
                NDArray loss = new WindowScorer(m).weightedLoss(step, windows, w);
                if (forceGc) {
                    churn();
                }
                gc.backward(loss);
            }
        }
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (String name : CHECKED) {
            try (NDArray g = m.parameters().get(name).getGradient()) {
                out.put(name, g.toFloatArray());
            }
        }
        return out;
    }

    /** Frees whatever Java-owned memory is unreachable and reuses it with other bytes. */
    private static void churn() {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(256);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                junk.add(b);
            }
        }
        junk.clear();
    }

    private static double loss(Gpt2Model m, List<int[]> windows, float[] weights) {
        try (NDManager step = m.manager().newSubManager()) {
            return new WindowScorer(m).weightedLoss(step, windows, step.create(weights)).getFloat();
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Gpt2Model m = new Gpt2Model(CFG, 21)) {
            // Larger weights than GPT-2's init so that every parameter has a visible effect.
            for (NDArray p : m.parameters().values()) {
                p.muli(8f);
            }
            List<int[]> windows = Gpt2ModelTest.randomWindows(2, 2, 9, 20);
            float[] weights = {0.7f, 0.3f};
            Map<String, float[]> grads = gradients(m, windows, weights, true);
            double eps = 1e-2;
            int checked = 0;
            for (String name : CHECKED) {
                NDArray p = m.parameters().get(name);
                float[] g = grads.get(name);
                for (int idx : new int[] {0, g.length / 2, g.length - 1}) {
                    float orig = p.toFloatArray()[idx];
                    double plus = lossWith(m, p, idx, orig + eps, windows, weights);
                    double minus = lossWith(m, p, idx, orig - eps, windows, weights);
                    set(p, idx, orig);
                    double fd = (plus - minus) / (2 * eps);
                    assertEquals(fd, g[idx], 2e-3 + 0.05 * Math.abs(fd), name + "[" + idx + "]");
                    checked++;
                }
            }
            assertEquals(3 * CHECKED.length, checked);
        }
    }

    private static double lossWith(Gpt2Model m, NDArray p, int idx, double value, List<int[]> w, float[] weights) {
        set(p, idx, (float) value);
        return loss(m, w, weights);
    }

    private static void set(NDArray p, int flatIndex, float value) {
        long[] shape = p.getShape().getShape();
        long[] pos = new long[shape.length];
        long rem = flatIndex;
        for (int d = shape.length - 1; d >= 0; d--) {
            pos[d] = rem % shape[d];
            rem /= shape[d];
        }
        p.set(new NDIndex(pos), value);
    }

    @Test
    void gradientsAreIdenticalUnderForcedGarbageCollection() {
        try (Gpt2Model m = new Gpt2Model(CFG, 22)) {
            List<int[]> windows = Gpt2ModelTest.randomWindows(3, 3, 9, 20);
            float[] weights = {0.5f, 0.25f, 0.25f};
            Map<String, float[]> reference = gradients(m, windows, weights, false);
            for (int trial = 0; trial < 40; trial++) {
                Map<String, float[]> again = gradients(m, windows, weights, true);
                for (String name : CHECKED) {
                    assertArrayEquals(reference.get(name), again.get(name), 0f, name + " in trial " + trial);
                }
            }
        }
    }

    @Test
    void zeroClearsAccumulatedGradientsAndClipScalesToTheNorm() {
        try (Gpt2Model m = new Gpt2Model(CFG, 23)) {
            List<int[]> windows = Gpt2ModelTest.randomWindows(4, 2, 9, 20);
            float[] weights = {1f, 1f};
            Map<String, float[]> once = gradients(m, windows, weights, false);
            Map<String, float[]> again = gradients(m, windows, weights, false);
            assertArrayEquals(once.get("wte.weight"), again.get("wte.weight"), 0f, "gradients must not accumulate");
            double norm = Gradients.globalNorm(m.parameters().values());
            assertTrue(norm > 0.1, "norm " + norm);
            double before = Gradients.clip(m.parameters().values(), norm / 4);
            assertEquals(norm, before, 1e-9);
            assertEquals(norm / 4, Gradients.globalNorm(m.parameters().values()), norm * 1e-4);
        }
    }
}
