package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The candidates' head alignment against autograd: the gradients of each window's mean loss with
 * respect to a copy of the output head, on the model's own final hidden states, dotted by hand.
 */
class HeadAlignmentTest {
    private static final GptConfig CFG = Gpt2ModelTest.TINY;

    /** Gradient of the mean token loss of {@code windows} with respect to the head W (V x C), by autograd. */
    private static float[] headGradient(Gpt2Model m, List<int[]> windows) {
        int t = windows.get(0).length - 1;
        long[] in = new long[windows.size() * t];
        long[] out = new long[windows.size() * t];
        for (int i = 0; i < windows.size(); i++) {
            for (int j = 0; j < t; j++) {
                in[i * t + j] = windows.get(i)[j];
                out[i * t + j] = windows.get(i)[j + 1];
            }
        }
        try (NDManager sm = m.manager().newSubManager()) {
            NDArray h = m.hidden(sm, sm.create(in, new Shape(windows.size(), t))).reshape(-1, CFG.dModel()).stopGradient();
            NDArray w = m.parameters().get("wte.weight").duplicate();
            w.setRequiresGradient(true);
            NDArray y = sm.create(out);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logp = h.matMul(w.transpose()).logSoftmax(-1);
                NDArray loss = logp.gather(y.expandDims(-1), -1).neg().mean();
                gc.backward(loss);
            }
            float[] g = w.getGradient().toFloatArray();
            w.close();
            return g;
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void alignmentIsTheDotProductOfHeadGradients() {
        try (Gpt2Model m = new Gpt2Model(CFG, 5)) {
            for (NDArray p : m.parameters().values()) {
                p.muli(4f); // sharper predictions than the init, so gradients differ between windows
            }
            List<int[]> candidates = Gpt2ModelTest.randomWindows(1, 5, 9, CFG.vocab());
            List<int[]> heldout = Gpt2ModelTest.randomWindows(2, 3, 9, CFG.vocab());
            float[] gD = headGradient(m, heldout);
            try (NDManager sm = m.manager().newSubManager()) {
                // One row per head chunk: the held-out gradient is summed over many chunks.
                StepScores s = new WindowScorer(m, 1).scoreStep(sm, candidates, heldout, false, false, true);
                StepScores big = new WindowScorer(m).scoreStep(sm, candidates, heldout, false, false, true);
                for (int i = 0; i < candidates.size(); i++) {
                    double expected = dot(gD, headGradient(m, List.of(candidates.get(i))));
                    assertEquals(expected, s.alignment()[i], 1e-4 * Math.max(1, Math.abs(expected)), "candidate " + i);
                    assertEquals(expected, big.alignment()[i], 1e-4 * Math.max(1, Math.abs(expected)), "candidate " + i);
                }
                // Scoring both together gives each set the losses it gets alone.
                assertArrayEquals(new WindowScorer(m).score(sm, candidates, false, false).loss(), s.candidates().loss(), 1e-5f);
                assertArrayEquals(new WindowScorer(m).score(sm, heldout, false, false).loss(), s.heldoutLoss(), 1e-5f);
            }
        }
    }

    @Test
    void aCandidateAlignsWithItselfPositively() {
        try (Gpt2Model m = new Gpt2Model(CFG, 6); NDManager sm = m.manager().newSubManager()) {
            List<int[]> windows = Gpt2ModelTest.randomWindows(3, 2, 9, CFG.vocab());
            StepScores s = new WindowScorer(m).scoreStep(sm, windows, List.of(windows.get(0)), false, true, true);
            float[] g0 = headGradient(m, List.of(windows.get(0)));
            assertEquals(dot(g0, g0), s.alignment()[0], 1e-4 * dot(g0, g0)); // ||G||^2 > 0
            assertEquals(2, s.candidates().hidden().getShape().get(0));      // hidden of the candidates only
        }
    }

    @Test
    void withoutAlignmentNothingExtraIsComputed() {
        try (Gpt2Model m = new Gpt2Model(CFG, 7); NDManager sm = m.manager().newSubManager()) {
            List<int[]> windows = Gpt2ModelTest.randomWindows(4, 2, 9, CFG.vocab());
            StepScores s = new WindowScorer(m).scoreStep(sm, windows, List.of(), false, false, false);
            assertNull(s.alignment());
            assertEquals(0, s.heldoutLoss().length);
            assertThrows(IllegalArgumentException.class,
                    () -> new WindowScorer(m).scoreStep(sm, windows, List.of(), false, false, true));
        }
    }
}
