package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Window;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.model.WindowScores;
import dev.curlab.optim.GradientStep;
import dev.curlab.optim.Sgd;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selector on real candidate batches of a tiny GPT-2: who changes what, and the soft-mixture gradient. */
class SoftQWithModelTest {
    static final GptConfig CFG = new GptConfig("custom", 2, 32, 2, 16, 50);
    static final int N = 4;

    private static List<int[]> windows(long seed, int n) {
        Rng rng = new Rng(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] w = new int[CFG.context() + 1];
            for (int j = 0; j < w.length; j++) {
                w[j] = rng.nextInt(CFG.vocab());
            }
            out.add(w);
        }
        return out;
    }

    private static CandidateBatch score(WindowScorer scorer, NDManager sm, long k, List<int[]> tokens) {
        WindowScores s = scorer.score(sm, tokens, true, true);
        List<Window> ws = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            ws.add(new Window(i, tokens.get(i), "src" + (i % 2), Double.NaN));
        }
        return new CandidateBatch(k, ws, s.loss(), s.entropy(), s.hidden());
    }

    private static SoftQSelector selector(Gpt2Model model, SoftQConfig cfg) {
        return new SoftQSelector(new SelectorContext(0, N, CFG.dModel(), 10, model.manager(),
                new SelectorSettings(1, cfg, null), Map.of(), CFG, List.of(), Map.of()));
    }

    private static Map<String, float[]> values(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static Map<String, float[]> gradients(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            try (NDArray g = v.getGradient()) {
                out.put(k, g.toFloatArray());
            }
        });
        return out;
    }

    private static boolean same(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }

    @Test
    void tdStepChangesPhiOnlyAndLmStepChangesThetaOnly() {
        SoftQConfig cfg = SoftQFixtures.config(0.1, 0.9, 0.5, 1e-2, "adam", false);
        try (Gpt2Model model = new Gpt2Model(CFG, 1); SoftQSelector s = selector(model, cfg)) {
            WindowScorer scorer = new WindowScorer(model);
            GradientStep lm = new GradientStep(scorer, new Sgd(), 1.0, 8);
            for (long k = 0; k < 3; k++) {
                try (NDManager sm = model.manager().newSubManager()) {
                    List<int[]> tokens = windows(k, N);
                    CandidateBatch b = score(scorer, sm, k, tokens);
                    dev.curlab.optim.Gradients.zero(model.parameters().values());
                    Map<String, float[]> theta = values(model.parameters());
                    Map<String, float[]> phi = s.online().snapshot();
                    Map<String, float[]> phiBar = s.target().snapshot();
                    StepMetrics m = new StepMetrics();
                    s.learn(b, m);                                                    // TD update (k >= 1)
                    assertTrue(same(theta, values(model.parameters())), "the TD step must not move theta");
                    assertTrue(gradients(model.parameters()).values().stream()
                            .allMatch(g -> Arrays.equals(g, new float[g.length])), "no TD gradient reaches the LM");
                    assertEquals(k > 0, !same(phi, s.online().snapshot()), "phi moves from step 1 on");
                    assertEquals(k > 0, !same(phiBar, s.target().snapshot()), "phibar moves from step 1 on");
                    Selection sel = s.select(b, m);
                    Map<String, float[]> phiAfterTd = s.online().snapshot();
                    Map<String, float[]> barAfterTd = s.target().snapshot();
                    List<int[]> trained = new ArrayList<>();
                    for (int i : sel.train()) {
                        trained.add(tokens.get(i));
                    }
                    GradientStep.Result g = lm.backward(sm, trained, sel.weights());   // LM update
                    lm.apply(1e-2, g.gradNorm());
                    assertFalse(same(theta, values(model.parameters())), "the LM step moves theta");
                    assertTrue(same(phiAfterTd, s.online().snapshot()), "the LM step must not move phi");
                    assertTrue(same(barAfterTd, s.target().snapshot()), "the LM step must not move phibar");
                    s.observe(new Outcome(k, -3.0, g.loss(), sel, b), m);
                }
            }
            assertEquals(2, s.qUpdates());
        }
    }

    @Test
    void softMixtureGradientIsThePolicyWeightedSumOfPerExampleGradients() {
        SoftQConfig cfg = SoftQFixtures.config(1.0, 0.9, 0.01, 1e-3, "adam", true);
        try (Gpt2Model model = new Gpt2Model(CFG, 2); SoftQSelector s = selector(model, cfg)) {
            WindowScorer scorer = new WindowScorer(model);
            GradientStep lm = new GradientStep(scorer, new Sgd(), 0, 3); // micro-batches of 3 over N = 4
            try (NDManager sm = model.manager().newSubManager()) {
                List<int[]> tokens = windows(7, N);
                CandidateBatch b = score(scorer, sm, 0, tokens);
                Selection sel = s.select(b, new StepMetrics());
                assertEquals(N, sel.examples());
                float[] pi = sel.weights();
                assertTrue(Arrays.stream(sel.train()).allMatch(i -> i == sel.train()[i]));
                double minPi = 1;
                for (float p : pi) {
                    minPi = Math.min(minPi, p);
                }
                assertTrue(minPi > 0.02 && minPi < 0.24, "a non-trivial policy: " + Arrays.toString(pi));

                lm.backward(sm, tokens, pi);
                Map<String, float[]> mixture = gradients(model.parameters());
                Map<String, double[]> expected = new LinkedHashMap<>();
                for (int i = 0; i < N; i++) {
                    lm.backward(sm, List.of(tokens.get(i)), new float[] {1f});         // N separate passes
                    Map<String, float[]> gi = gradients(model.parameters());
                    for (var e : gi.entrySet()) {
                        double[] acc = expected.computeIfAbsent(e.getKey(), k -> new double[e.getValue().length]);
                        for (int j = 0; j < acc.length; j++) {
                            acc[j] += pi[i] * e.getValue()[j];
                        }
                    }
                }
                for (var e : expected.entrySet()) {
                    float[] got = mixture.get(e.getKey());
                    for (int j = 0; j < got.length; j++) {
                        assertEquals(e.getValue()[j], got[j], 1e-5 + 1e-4 * Math.abs(e.getValue()[j]), e.getKey() + "[" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void oneHotMixtureEqualsTheSingleExampleStep() {
        double[] pi = SoftQMath.boltzmann(new double[] {0, 0, 50, 0}, 0.01); // exactly one-hot
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            w[i] = (float) pi[i];
        }
        List<int[]> tokens = windows(9, N);
        try (Gpt2Model a = new Gpt2Model(CFG, 3); Gpt2Model b = new Gpt2Model(CFG, 3)) {
            GradientStep mix = new GradientStep(new WindowScorer(a), new Sgd(), 1.0, 2);
            GradientStep one = new GradientStep(new WindowScorer(b), new Sgd(), 1.0, 2);
            try (NDManager sa = a.manager().newSubManager(); NDManager sb = b.manager().newSubManager()) {
                GradientStep.Result ra = mix.backward(sa, tokens, new Selection(new int[] {0, 1, 2, 3}, w, new int[] {2}).weights());
                GradientStep.Result rb = one.backward(sb, List.of(tokens.get(2)), new float[] {1f});
                assertEquals(rb.loss(), ra.loss(), 1e-6);
                Map<String, float[]> ga = gradients(a.parameters());
                Map<String, float[]> gb = gradients(b.parameters());
                ga.forEach((k, v) -> assertArrayEquals(gb.get(k), v, 1e-6f, k));
                mix.apply(1e-2, ra.gradNorm());
                one.apply(1e-2, rb.gradNorm());
                Map<String, float[]> ta = values(a.parameters());
                Map<String, float[]> tb = values(b.parameters());
                ta.forEach((k, v) -> assertArrayEquals(tb.get(k), v, 1e-6f, k));
            }
        }
    }
}
