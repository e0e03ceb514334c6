package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.Gradients;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gpt2ModelTest {

    static final GptConfig TINY = new GptConfig("custom", 2, 32, 2, 16, 50);

    static List<int[]> randomWindows(long seed, int count, int length, int vocab) {
        Rng rng = new Rng(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] w = new int[length];
            for (int j = 0; j < length; j++) {
                w[j] = rng.nextInt(vocab);
            }
            out.add(w);
        }
        return out;
    }

    @Test
    void parameterCountMatchesTensorsAndPresets() {
        try (Gpt2Model m = new Gpt2Model(TINY, 1)) {
            long n = m.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
            assertEquals(TINY.parameterCount(), n);
            assertEquals(4 + 12 * 2 + 2 - 2, m.parameters().size()); // wte, wpe, 12 per block, ln_f x2
        }
        // GPT-2 small without the tied head: 124,439,808 parameters.
        assertEquals(124_439_808L, GptConfig.preset("gpt2", 1024, 50257).parameterCount());
        UserError e = assertThrows(UserError.class, () -> GptConfig.preset("huge", 64, 257));
        assertTrue(e.getMessage().contains("--model") && e.getMessage().contains("nano"), e.getMessage());
    }

    @Test
    void initialLossIsNearLnVocabAndSeedFixesWeights() {
        GptConfig cfg = GptConfig.preset("nano", 32, 257);
        try (Gpt2Model a = new Gpt2Model(cfg, 7); Gpt2Model b = new Gpt2Model(cfg, 7);
             Gpt2Model c = new Gpt2Model(cfg, 8); NDManager step = a.manager().newSubManager()) {
            List<int[]> windows = randomWindows(3, 8, 33, 257);
            float[] loss = new WindowScorer(a).score(step, windows, false, false).loss();
            for (float l : loss) {
                assertEquals(Math.log(257), l, 0.1, "initial loss should be close to ln(V)");
            }
            assertArrayEquals(a.parameters().get("h.1.mlp.c_fc.weight").toFloatArray(),
                    b.parameters().get("h.1.mlp.c_fc.weight").toFloatArray());
            assertFalse(java.util.Arrays.equals(a.parameters().get("wte.weight").toFloatArray(),
                    c.parameters().get("wte.weight").toFloatArray()));
            // GPT-2 init: std 0.02, residual projections scaled by 1/sqrt(2 * layers).
            assertEquals(0.02, std(a.parameters().get("h.0.mlp.c_fc.weight").toFloatArray()), 0.002);
            assertEquals(0.02 / Math.sqrt(4), std(a.parameters().get("h.0.mlp.c_proj.weight").toFloatArray()), 0.001);
            assertEquals(1.0, a.parameters().get("ln_f.weight").toFloatArray()[5], 0.0);
        }
    }

    static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float x : v) {
            s += x;
            s2 += x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void lossDropsOnATinyRepeatedCorpus() {
        try (Gpt2Model m = new Gpt2Model(TINY, 3)) {
            WindowScorer scorer = new WindowScorer(m);
            List<int[]> corpus = randomWindows(5, 2, 17, 50);
            AdamW opt = new AdamW(m.manager(), 0.9, 0.999, 1e-8, 0.0);
            float first = 0;
            float last = 0;
            for (int i = 0; i < 60; i++) {
                try (NDManager step = m.manager().newSubManager()) {
                    float l;
                    Gradients.zero(m.parameters().values());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray w = step.create(new float[] {0.5f, 0.5f});
                        NDArray loss = scorer.weightedLoss(step, corpus, w);
                        gc.backward(loss);
                        l = loss.getFloat();
                    }
                    if (i == 0) {
                        first = l;
                    }
                    last = l;
                    Gradients.clip(m.parameters().values(), 1.0);
                    opt.step(m.parameters(), 3e-3);
                }
            }
            assertTrue(last < first * 0.5, "loss should fall on a memorisable corpus: " + first + " -> " + last);
        }
    }

    @Test
    void causality() {
        try (Gpt2Model m = new Gpt2Model(TINY, 4); NDManager step = m.manager().newSubManager()) {
            int[] a = randomWindows(9, 1, 17, 50).get(0);
            int t = 9;
            int[] b = a.clone();
            b[t] = (a[t] + 1) % 50;
            NDArray ha = m.hidden(step, step.create(toLong(a), new Shape(1, 16)));
            NDArray hb = m.hidden(step, step.create(toLong(b), new Shape(1, 16)));
            float[] fa = ha.toFloatArray();
            float[] fb = hb.toFloatArray();
            int c = TINY.dModel();
            for (int pos = 0; pos < 16; pos++) {
                float maxDiff = 0;
                for (int j = 0; j < c; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(fa[pos * c + j] - fb[pos * c + j]));
                }
                if (pos < t) {
                    assertEquals(0f, maxDiff, "position " + pos + " must not see token " + t);
                } else {
                    assertTrue(maxDiff > 1e-6, "position " + pos + " should see token " + t);
                }
            }
        }
    }

    static long[] toLong(int[] w) {
        long[] out = new long[w.length - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = w[i];
        }
        return out;
    }

    @Test
    void batchedScoringEqualsScoringEachWindowAlone() {
        try (Gpt2Model m = new Gpt2Model(TINY, 5); NDManager step = m.manager().newSubManager()) {
            List<int[]> windows = randomWindows(11, 6, 17, 50);
            // A tiny logit budget forces the chunked head (one window per chunk).
            WindowScores all = new WindowScorer(m, 1).score(step, windows, true, true);
            WindowScores big = new WindowScorer(m).score(step, windows, true, true);
            float[] hiddenAll = all.hidden().toFloatArray();
            for (int i = 0; i < windows.size(); i++) {
                WindowScores one = new WindowScorer(m).score(step, List.of(windows.get(i)), true, true);
                assertEquals(one.loss()[0], all.loss()[i], 1e-5);
                assertEquals(one.loss()[0], big.loss()[i], 1e-5);
                assertEquals(one.entropy()[0], all.entropy()[i], 1e-5);
                float[] h = one.hidden().toFloatArray();
                for (int j = 0; j < h.length; j++) {
                    assertEquals(h[j], hiddenAll[i * h.length + j], 1e-5);
                }
            }
            // Entropy of a near-uniform initial model is close to ln V and at least the loss' lower bound 0.
            assertEquals(Math.log(50), all.entropy()[0], 0.05);
        }
    }

    @Test
    void scoringHiddenStatesAreDetached() {
        try (Gpt2Model m = new Gpt2Model(TINY, 6); NDManager step = m.manager().newSubManager()) {
            List<int[]> windows = randomWindows(12, 3, 17, 50);
            WindowScores s;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // Even when scored inside a collector, what we hand out carries no graph.
                s = new WindowScorer(m).score(step, windows, false, true);
                assertFalse(s.hidden().hasGradient(), "hidden state must be detached");
                NDArray w = step.create(new float[] {1f});
                NDArray probe = s.hidden().sum().add(new WindowScorer(m).weightedLoss(step, windows.subList(0, 1), w).mul(step.create(0f)));
                gc.backward(probe);
            }
            // The probe's only path to theta is multiplied by zero: every LM gradient is exactly zero.
            for (NDArray p : m.parameters().values()) {
                try (NDArray g = p.getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), 0f);
                }
            }
        }
    }
}
