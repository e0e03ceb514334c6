package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.curlab.model.Assign;
import dev.curlab.util.Rng;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The curator's mirror-descent bandit loss: its gradient against the closed form and finite differences; importance weights by hand. */
class NeuralCuratorTest {

    @Test
    void lossGradientInTheLogitsMatchesTheClosedFormAtPiOld() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(new float[] {0, (float) Math.log(2), 0});            // pi = (0.25, 0.5, 0.25)
            s.setRequiresGradient(true);
            NDArray logPiOld = m.create(new float[] {(float) Math.log(0.25), (float) Math.log(0.5), (float) Math.log(0.25)});
            NDArray rHat = m.create(new float[] {2, 0, -1});
            NDArray invEta = m.create(1f);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = CuratorScorer.mirrorDescentLoss(s, logPiOld, rHat, invEta);
                System.gc();
                gc.backward(l);
                loss = l.getFloat();
            }
            // L = -(0.25*2 + 0 - 0.25*1) + KL(pi||pi) = -0.25; dL/ds_k = -pi_k (r_k - sum pi r) = -pi_k (r_k - 0.25)
            assertEquals(-0.25, loss, 1e-6);
            assertArrayEquals(new float[] {-0.4375f, 0.125f, 0.3125f}, s.getGradient().toFloatArray(), 1e-6f);
        }
    }

    /** L in double precision, written out by hand, for finite differences. */
    static double lossByHand(double[] logits, double[] logPiOld, double[] rHat, double eta) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l - max);
        }
        double loss = 0;
        for (int j = 0; j < logits.length; j++) {
            double logPi = logits[j] - max - Math.log(z);
            double pi = Math.exp(logPi);
            loss += -pi * rHat[j] + pi * (logPi - logPiOld[j]) / eta;
        }
        return loss;
    }

    @Test
    void scorerGradientMatchesFiniteDifferencesWithTheKlTermActive() {
        int n = 5;
        int f = 3;
        Rng rng = new Rng(11);
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        double[] logPiOld = NeuralCurator.logSoftmax(new float[] {0.3f, -0.2f, 0.1f, 0.9f, -1f});
        double[] rHat = {1.5, 0, 0, -0.7, 0};
        double eta = 0.5;
        try (CuratorScorer scorer = new CuratorScorer(f, 4, new Rng(5)); NDManager m = NDManager.newBaseManager()) {
            Assign.values(scorer.parameters().get("fc2.weight"), new float[] {0.8f, -0.5f, 0.3f, 1.1f});
            for (int trial = 0; trial < 3; trial++) {                  // DJL-NOTES: gc between forward and backward
                scorer.zeroGradients();
                try (NDManager sm = m.newSubManager()) {
                    NDArray xs = sm.create(x, new Shape(n, f));
                    float[] old = new float[n];
                    for (int j = 0; j < n; j++) {
                        old[j] = (float) logPiOld[j];
                    }
                    NDArray lo = sm.create(old);
                    float[] rh = new float[n];
                    for (int j = 0; j < n; j++) {
                        rh[j] = (float) rHat[j];
                    }
                    NDArray r = sm.create(rh);
                    NDArray invEta = sm.create((float) (1 / eta));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = CuratorScorer.mirrorDescentLoss(scorer.forward(xs), lo, r, invEta);
                        System.gc();
                        sm.create(new float[4096]);
                        gc.backward(l);
                    }
                }
                for (String name : CuratorScorer.NAMES) {
                    NDArray p = scorer.parameters().get(name);
                    float[] grad = p.getGradient().toFloatArray();
                    float[] w = p.toFloatArray();
                    for (int i = 0; i < w.length; i++) {
                        double h = 1e-2;
                        float[] plus = w.clone();
                        plus[i] += (float) h;
                        float[] minus = w.clone();
                        minus[i] -= (float) h;
                        Assign.values(p, plus);
                        double lp = lossByHand(logits(scorer, m, x, n, f), logPiOld, rHat, eta);
                        Assign.values(p, minus);
                        double lm = lossByHand(logits(scorer, m, x, n, f), logPiOld, rHat, eta);
                        Assign.values(p, w);
                        assertEquals((lp - lm) / (2 * h), grad[i], 2e-3, name + "[" + i + "]");
                    }
                }
            }
        }
    }

    private static double[] logits(CuratorScorer scorer, NDManager m, float[] x, int n, int f) {
        try (NDManager sm = m.newSubManager()) {
            float[] l = scorer.forward(sm.create(x, new Shape(n, f))).toFloatArray();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = l[i];
            }
            return out;
        }
    }

    @Test
    void nativeArraysStayFlatOverPicksAndUpdates() {
        Rng h = new Rng(1);
        Curator.PromptStates states = problems -> {
            float[][] out = new float[problems.size()][6];
            for (float[] row : out) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) h.nextGaussian();
                }
            }
            return out;
        };
        java.util.List<Problem> cands = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            cands.add(new Problem(i, "add", "p", "a", java.util.Map.of("digits", (double) (1 + i % 3))));
        }
        try (NeuralCurator c = new NeuralCurator(NeuralCurator.Settings.from(new StrategySpec("--curator", "curator?width=4&reward=advantage")), states, null, 0)) {
            Rng rng = new Rng(2);
            int[] live = new int[12];
            for (int step = 0; step < live.length; step++) {
                int[] pick = c.pick(step, cands, 3, rng);
                java.util.List<Problem> picked = new java.util.ArrayList<>();
                for (int i : pick) {
                    picked.add(cands.get(i));
                }
                c.observe(picked, new int[] {step % 4, 1, 0}, 4);
                live[step] = c.liveArrays();
            }
            assertEquals(live[2], live[live.length - 1], java.util.Arrays.toString(live));
        }
    }

    @Test
    void importanceWeightsByHand() {
        assertEquals(0.19, NeuralCurator.inclusion(0.1, 2), 1e-12);                // 1 - 0.9^2
        float[] rHat = NeuralCurator.importanceWeighted(4, new int[] {2, 0}, new double[] {0.9, 0.1}, new double[] {0.19, 0.5}, 0.5);
        assertArrayEquals(new float[] {-0.8f, 0, 2.1052632f, 0}, rHat, 1e-6f);    // (0.1-0.5)/0.5, (0.9-0.5)/0.19
    }

    /** Answer log-probs from a script (one value per problem id and call), recording each call's problem ids. */
    static final class LogProbScript implements Curator.Probe {
        final java.util.Deque<java.util.Map<Long, Double>> script = new java.util.ArrayDeque<>();
        final List<List<Long>> asked = new java.util.ArrayList<>();

        @Override
        public double[] successRates(List<Problem> problems, int rollouts) {
            throw new AssertionError("the curator does not roll out");
        }

        @Override
        public double[] answerLogProb(List<Problem> problems) {
            asked.add(problems.stream().map(Problem::id).toList());
            java.util.Map<Long, Double> v = script.poll();
            return problems.stream().mapToDouble(p -> v.get(p.id())).toArray();
        }
    }

    static List<Problem> bucketed(int n, int offset) {
        List<Problem> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Problem(offset + i, "add", "1+1=", "2", java.util.Map.of("digits", (double) i)));
        }
        return out;
    }

    @Test
    void improvementRewardIsEachPicksAnswerLogProbAfterMinusBeforeTheUpdate() {
        assertArrayEquals(new double[] {0.5, -0.25}, NeuralCurator.improvement(new double[] {-2, -1}, new double[] {-1.5, -1.25}), 1e-12);
        LogProbScript probe = new LogProbScript();
        java.util.Map<Long, Double> before = new java.util.HashMap<>();
        java.util.Map<Long, Double> after = new java.util.HashMap<>();
        for (long id = 0; id < 6; id++) {
            before.put(id, -2.0);
            after.put(id, -2.0 + 0.1 * id);                      // the update helped problem id by 0.1 id
        }
        probe.script.add(before);
        probe.script.add(after);
        try (NeuralCurator c = new NeuralCurator(NeuralCurator.Settings.from(new StrategySpec("--curator", "curator?width=4&features=stats")), null,
                probe, 0)) {
            List<Problem> cands = bucketed(6, 0);
            int[] picks = c.pick(0, cands, 2, new Rng(1));
            List<Problem> picked = List.of(cands.get(picks[0]), cands.get(picks[1]));
            c.observe(picked, new int[] {1, 2}, 4);
            List<Long> ids = picked.stream().map(Problem::id).toList();
            assertEquals(List.of(ids, ids), probe.asked, "the picks, before and after");
            assertEquals(0.1 * (ids.get(0) + ids.get(1)) / 2, (Double) c.metrics().get("curator_reward"), 1e-12);
            assertEquals("improvement", c.settings().get("reward"));
        }
    }

    @Test
    void inclusionProbabilitiesComeFromEachPicksOwnSamplingProbability() {
        int b = 3;
        try (NeuralCurator c = new NeuralCurator(NeuralCurator.Settings.from(new StrategySpec("--curator", 
                "curator?width=4&features=stats&reward=advantage&lr=0.5&explore=0.2")), null, null, 0)) {
            List<Problem> cands = bucketed(6, 0);
            for (int k = 0; k < 3; k++) {                        // buckets observed unevenly: the scorer learns a non-uniform pi
                int[] picks = c.pick(k, cands, b, new Rng(k));
                List<Problem> picked = new java.util.ArrayList<>();
                int[] s = new int[b];
                for (int j = 0; j < b; j++) {
                    picked.add(cands.get(picks[j]));
                    s[j] = picks[j] % 2 == 0 ? 2 : 0;
                }
                c.observe(picked, s, 4);
            }
            int[] picks = c.pick(3, cands, b, new Rng(7));
            double[] mu = c.lastMu();
            double min = java.util.Arrays.stream(mu).min().orElseThrow();
            double max = java.util.Arrays.stream(mu).max().orElseThrow();
            assertTrue(max - min > 1e-3, "the test needs a non-uniform mu: " + java.util.Arrays.toString(mu));
            assertEquals(1, java.util.Arrays.stream(mu).sum(), 1e-9);
            double[] q = c.pendingQ();
            for (int k = 0; k < b; k++) {
                assertEquals(1 - Math.pow(1 - mu[picks[k]], b), q[k], 1e-12, "q of pick " + k + " from mu of its candidate " + picks[k]);
            }
        }
    }
}
