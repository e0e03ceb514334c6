package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidates' head-gradient Gram matrix against autograd: per-window head gradients dotted by hand. */
class HeadGradientsTest {
    private static final GptConfig CFG = Gpt2ModelTest.TINY;

    /** Gradient of one window's mean token loss with respect to a copy of the head W (V x C), by autograd. */
    static float[] headGradient(Gpt2Model m, int[] window) {
        int t = window.length - 1;
        long[] in = new long[t];
        long[] out = new long[t];
        for (int j = 0; j < t; j++) {
            in[j] = window[j];
            out[j] = window[j + 1];
        }
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray h = m.hidden(sm, sm.create(in, new Shape(1, t))).reshape(-1, CFG.dModel()).stopGradient();
            NDArray w = m.parameters().get("wte.weight").duplicate();
            w.setRequiresGradient(true);
            NDArray y = sm.create(out);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logp = h.matMul(w.transpose()).logSoftmax(-1);
                gc.backward(logp.gather(y.expandDims(-1), -1).neg().mean());
            }
            float[] g = w.getGradient().toFloatArray();
            w.close();
            return g;
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void gramIsTheInnerProductOfHeadGradients() {
        try (Gpt2Model m = new Gpt2Model(CFG, 8)) {
            for (NDArray p : m.parameters().values()) {
                p.muli(4f); // sharper predictions than the init, so gradients differ between windows
            }
            List<int[]> candidates = Gpt2ModelTest.randomWindows(5, 4, 9, CFG.vocab());
            List<int[]> heldout = Gpt2ModelTest.randomWindows(6, 2, 9, CFG.vocab());
            float[][] g = new float[candidates.size()][];
            for (int i = 0; i < g.length; i++) {
                g[i] = headGradient(m, candidates.get(i));
            }
            try (NDManager sm = m.manager().newSubManager()) {
                // 1 row per head chunk (each window spread over 8 chunks), 3 rows (chunks straddle windows), the default
                for (long budget : new long[] {1, 3L * CFG.vocab() * Float.BYTES, WindowScorer.DEFAULT_LOGIT_BUDGET}) {
                    StepScores s = new WindowScorer(m, budget).scoreStep(sm, candidates, heldout, false, false, true, true);
                    for (int i = 0; i < g.length; i++) {
                        for (int j = 0; j < g.length; j++) {
                            double expected = dot(g[i], g[j]);
                            assertEquals(expected, s.gram()[i][j], 1e-4 * Math.max(1, Math.abs(expected)),
                                    "K[" + i + "][" + j + "] at budget " + budget);
                        }
                    }
                }
            }
        }
    }

    @Test
    void withoutGramNothingIsComputed() {
        try (Gpt2Model m = new Gpt2Model(CFG, 9); NDManager sm = m.manager().newSubManager()) {
            List<int[]> windows = Gpt2ModelTest.randomWindows(7, 2, 9, CFG.vocab());
            assertNull(new WindowScorer(m).scoreStep(sm, windows, List.of(windows.get(0)), false, false, true).gram());
        }
    }
}
