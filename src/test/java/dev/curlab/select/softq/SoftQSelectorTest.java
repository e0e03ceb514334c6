package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQFixtures.batch;
import static dev.curlab.select.softq.SoftQFixtures.config;
import static dev.curlab.select.softq.SoftQFixtures.hidden;
import static dev.curlab.select.softq.SoftQFixtures.selector;
import static dev.curlab.select.softq.SoftQFixtures.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The selector's Q-learning on hand-made candidate batches (no language model). */
class SoftQSelectorTest {
    static final int N = 3;
    static final int D = 4;

    @Test
    void constantRewardDrivesEveryQValueToTheFixedPoint() {
        double r = -2;
        double gamma = 0.5;
        double beta = 0.5;
        SoftQConfig cfg = config(beta, gamma, 1.0, 0.05, "sgd", false); // tau = 1: target = online
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, N, D, 3)) {
            float[] h = hidden(11, N, D);
            for (int k = 0; k < 1500; k++) {
                try (NDManager sm = m.newSubManager()) {
                    step(s, batch(sm, k, h, N, D), r);
                }
            }
            double expected = SoftQMath.fixedPoint(r, gamma, beta, N); // -2 + 0.5 ln 3 = -1.4506939
            assertEquals(-1.450693855665945, expected, 1e-12);
            try (NDManager sm = m.newSubManager()) {
                float[] q = s.online().forward(sm.create(h, new Shape(N, D))).toFloatArray();
                for (float qi : q) {
                    assertEquals(expected, qi, 1e-4, "Q-values " + Arrays.toString(q));
                }
            }
        }
    }

    @Test
    void bootstrapStepHasNoQUpdateAndLaterStepsHaveOne() {
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, SoftQConfig.PAPER, 1, N, D, 1)) {
            Map<String, float[]> before = s.online().snapshot();
            StepMetrics m0 = new StepMetrics();
            CandidateBatch b0 = batch(m, 0, hidden(1, N, D), N, D);
            s.learn(b0, m0);
            assertNull(m0.get("td_loss"), "step 0 is the bootstrap step");
            Selection sel = s.select(b0, m0);
            assertFalse(s.hasPendingTransition(), "no reward yet");
            s.observe(new Outcome(0, -3.0, 0, sel, b0), m0);
            assertTrue(s.hasPendingTransition());
            assertSame(before, s.online().snapshot());
            StepMetrics m1 = new StepMetrics();
            s.learn(batch(m, 1, hidden(2, N, D), N, D), m1);
            assertEquals(1, s.qUpdates());
            for (String f : new String[] {"td_loss", "td_target", "soft_value"}) {
                assertTrue(m1.get(f) instanceof Double, f);
            }
            assertNotEquals(Arrays.toString(before.get("fc2.bias")), Arrays.toString(s.online().snapshot().get("fc2.bias")));
        }
    }

    @Test
    void targetNetworkIsThePolyakAverageAndNeverOptimized() {
        double tau = 0.3;
        SoftQConfig cfg = config(0.1, 0.9, tau, 0.01, "adam", false);
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, N, D, 5)) {
            assertSame(s.online().snapshot(), s.target().snapshot()); // line 1: phibar <- phi
            step(s, batch(m, 0, hidden(1, N, D), N, D), -1.0);
            for (int k = 1; k < 4; k++) {
                Map<String, float[]> barBefore = s.target().snapshot();
                Map<String, float[]> phiBefore = s.online().snapshot();
                step(s, batch(m, k, hidden(k + 1, N, D), N, D), -1.0 + 0.1 * k);
                Map<String, float[]> phi = s.online().snapshot();
                Map<String, float[]> bar = s.target().snapshot();
                for (String name : QNetwork.NAMES) {
                    assertFalse(Arrays.equals(phiBefore.get(name), phi.get(name)), "phi moved: " + name);
                    float[] expected = new float[phi.get(name).length];
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] = (float) SoftQMath.polyak(phi.get(name)[i], barBefore.get(name)[i], tau);
                    }
                    assertArrayEquals(expected, bar.get(name), 1e-6f, name);
                }
            }
            for (NDArray p : s.target().parameters().values()) {
                assertFalse(p.hasGradient(), "the target network has no gradient to step on");
            }
            Set<String> optimized = new HashSet<>();
            s.save().tensors().keySet().stream().filter(k -> k.startsWith("opt.")).forEach(k -> optimized.add(k.substring(6)));
            assertEquals(Set.of(QNetwork.NAMES), optimized, "Adam moments exist for phi's parameters only");
        }
    }

    @Test
    void saveRestoreContinuesTheSameTrajectory() throws Exception {
        SoftQConfig cfg = SoftQConfig.builder().beta(0.1).gamma(0.9).tau(0.05).qLr(0.01).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("running").exploreFloor(0.1)
                .qInitScale(0.5).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.0).credit("pick").prior("none").paperExact(false).nstep(1).build();
        ObjectMapper json = new ObjectMapper();
        try (NDManager m = NDManager.newBaseManager();
             SoftQSelector a = selector(m, cfg, 2, 5, D, 1);
             SoftQSelector b = selector(m, cfg, 2, 5, D, 99)) { // another seed: restore must overwrite everything
            for (int k = 0; k < 6; k++) {
                step(a, batch(m, k, hidden(k, 5, D), 5, D), -2 + 0.1 * Math.sin(k));
            }
            // a transition is pending (h_prev, r_prev) across the checkpoint
            assertTrue(a.hasPendingTransition());
            SelectorState saved = a.save();
            Map<String, Object> values = json.readValue(json.writeValueAsString(saved.values()), Map.class);
            try (NDManager tmp = m.newSubManager()) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                saved.tensors().forEach((k, v) -> tensors.put(k, tmp.create(v.toFloatArray(), v.getShape())));
                b.restore(new SelectorState(values, tensors));
            }
            for (int k = 6; k < 12; k++) {
                Selection sa = step(a, batch(m, k, hidden(k, 5, D), 5, D), -2 + 0.1 * Math.sin(k));
                Selection sb = step(b, batch(m, k, hidden(k, 5, D), 5, D), -2 + 0.1 * Math.sin(k));
                assertArrayEquals(sa.picked(), sb.picked(), "step " + k);
            }
            assertSame(a.online().snapshot(), b.online().snapshot());
            assertSame(a.target().snapshot(), b.target().snapshot());
        }
    }

    @Test
    void selectBatchDrawsDistinctActionsEachWithItsTransition() {
        SoftQConfig cfg = config(0.1, 0.9, 0.01, 1e-3, "adam", false);
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 3, 6, D, 2)) {
            Selection sel = step(s, batch(m, 0, hidden(0, 6, D), 6, D), -1);
            assertEquals(3, Arrays.stream(sel.train()).distinct().count());
            assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, sel.weights(), 0);
            assertArrayEquals(new long[] {3, 4}, s.save().tensors().get("h_prev").getShape().getShape());
        }
    }

    @Test
    void softMixtureTrainsOnAllCandidatesWithPolicyWeights() {
        SoftQConfig cfg = config(0.1, 0.9, 0.01, 1e-3, "adam", true);
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, 4, D, 2)) {
            CandidateBatch b = batch(m, 0, hidden(0, 4, D), 4, D);
            StepMetrics metrics = new StepMetrics();
            s.learn(b, metrics);
            Selection sel = s.select(b, metrics);
            assertArrayEquals(new int[] {0, 1, 2, 3}, sel.train());
            assertEquals(1, sel.picked().length);
            double[] q = new double[4];
            float[] qf = s.online().forward(m.create(hidden(0, 4, D), new Shape(4, D))).toFloatArray();
            for (int i = 0; i < 4; i++) {
                q[i] = qf[i];
            }
            double[] pi = SoftQMath.boltzmann(q, 0.1);
            double sumSq = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(pi[i], sel.weights()[i], 1e-6);
                sumSq += pi[i] * pi[i];
                assertEquals(pi[i], (Double) metrics.get("policy_mass_" + SoftQFixtures.SOURCES[i]), 1e-6);
            }
            assertEquals(1 / sumSq, (Double) metrics.get("effective_examples"), 1e-6);
        }
    }

    @Test
    void nonFiniteQValueStopsWithTheStepAndQuantity() {
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, SoftQFixtures.defaultsWithoutModel(), 1, N, D, 1)) {
            step(s, batch(m, 0, hidden(0, N, D), N, D), -1);
            float[] bad = hidden(1, N, D);
            Arrays.fill(bad, Float.NaN);
            NonFiniteQError e = assertThrows(NonFiniteQError.class, () -> s.learn(batch(m, 1, bad, N, D), new StepMetrics()));
            assertTrue(e.getMessage().startsWith("step 2: non-finite soft-q Q-value (NaN)"), e.getMessage());
        }
    }

    @Test
    void liveArrayCountStaysFlat() {
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, SoftQFixtures.defaultsWithoutModel(), 2, 8, D, 1)) {
            int after5 = 0;
            for (int k = 0; k < 40; k++) {
                try (NDManager sm = m.newSubManager()) {
                    step(s, batch(sm, k, hidden(k, 8, D), 8, D), -1);
                }
                if (k == 4) {
                    after5 = m.getManagedArrays().size();
                }
            }
            assertEquals(after5, m.getManagedArrays().size());
        }
    }

    /** Gamma 0 with a replay buffer and several TD updates per step: Q regresses each source's reward. */
    @Test
    void banditWithReplayLearnsToAvoidTheUnrewardedSource() {
        SoftQConfig cfg = SoftQConfig.builder().beta(0.1).gamma(0.0).tau(0.01).qLr(0.01).qClip(1.0).qHidden(16)
                .qOptimizer("adam").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(64).tdUpdates(4).replayBatch(16)
                .targetEntropy(0.0).credit("pick").prior("none").paperExact(false).nstep(1).build();
        int n = 4;
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, n, D, 4)) {
            double noiseMass = 0;
            for (int k = 0; k < 60; k++) {
                try (NDManager sm = m.newSubManager()) {
                    CandidateBatch b = batch(sm, k, hidden(1000 + k, n, D), n, D); // fresh h; sources cycle, index 1 is noise
                    b.loss()[1] = 5.5f;                                                   // noise: the highest loss
                    StepMetrics mt = new StepMetrics();
                    s.learn(b, mt);
                    Selection sel = s.select(b, mt);
                    double r = SoftQFixtures.SOURCES[sel.picked()[0]].equals("noise") ? -1 : 1;
                    s.observe(new Outcome(k, r, 0, sel, b), mt);
                    if (k >= 50) {
                        noiseMass += (Double) mt.get("policy_mass_noise") / 10;
                    }
                }
            }
            assertEquals(59, s.replaySize());
            assertEquals(4L * 59, s.qUpdates(), "tdUpdates per step after the bootstrap step");
            assertTrue(noiseMass < 0.05, "policy mass on noise over steps 51-60: " + noiseMass);
        }
    }

    @Test
    void targetEntropyMovesBetaUntilThePolicyMatchesIt() {
        SoftQConfig cfg = SoftQConfig.builder().beta(1e-3).gamma(0.0).tau(0.01).qLr(1e-3).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(1.0).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.6).credit("pick").prior("none").paperExact(false).nstep(1).build();
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg, 1, 8, D, 2)) {
            float[] h = hidden(3, 8, D);
            double entropy = 0;
            for (int k = 0; k < 400; k++) {
                try (NDManager sm = m.newSubManager()) {
                    CandidateBatch b = batch(sm, k, h, 8, D);
                    StepMetrics mt = new StepMetrics();
                    s.select(b, mt);
                    entropy = (Double) mt.get("policy_entropy_norm");
                }
            }
            assertTrue(s.beta() > 1e-3, "a near-greedy start is softened, beta " + s.beta());
            assertEquals(0.6, entropy, 0.02);
        }
    }

    /** First-order credit: every candidate's transition, rewarded with its own alignment, whatever was picked. */
    @Test
    void firstOrderCreditStoresATransitionPerCandidateWithItsAlignment() {
        int n = 4;
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, firstOrder(64, 1, 4), 1, n, D, 4)) {
            assertTrue(s.needsAlignment());
            for (int k = 0; k < 2; k++) {
                CandidateBatch b = aligned(m, k, n, new float[] {0.5f, -2f, 1.5f, 0.25f * k});
                step(s, b, 123.0); // the step's own reward is not what first-order credit learns from
            }
            assertEquals(n, s.replaySize(), "step 0's N transitions, completed at step 1");
            assertEquals(java.util.List.of(0.5, -2.0, 1.5, 0.0), s.save().values().get("replay_r"));
            assertEquals(java.util.List.of(0.5, -2.0, 1.5, 0.25), s.save().values().get("r_prev"));
        }
    }

    /** Noise is never rewarded directly (its pick's reward is a constant), yet its alignment teaches Q. */
    @Test
    void firstOrderCreditLearnsFromCandidatesThatWereNotPicked() {
        int n = 4;
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, firstOrder(256, 4, 16), 1, n, D, 4)) {
            double noiseMass = 0;
            for (int k = 0; k < 30; k++) {
                try (NDManager sm = m.newSubManager()) {
                    CandidateBatch b = aligned(sm, k, n, new float[] {1f, -1f, 1f, 1f}); // index 1 is noise
                    b.loss()[1] = 5.5f;
                    StepMetrics mt = new StepMetrics();
                    s.learn(b, mt);
                    Selection sel = s.select(b, mt);
                    s.observe(new Outcome(k, 0.0, 0, sel, b), mt);
                    if (k >= 20) {
                        noiseMass += (Double) mt.get("policy_mass_noise") / 10;
                    }
                }
            }
            assertTrue(noiseMass < 0.05, "policy mass on noise over steps 21-30: " + noiseMass);
        }
    }

    /** The bandit with first-order credit, raw rewards, no prior, and the given replay settings. */
    private static SoftQConfig firstOrder(int replay, int tdUpdates, int replayBatch) {
        return SoftQConfig.builder().beta(0.1).gamma(0.0).tau(0.01).qLr(0.01).qClip(1.0).qHidden(16)
                .qOptimizer("adam").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(replay).tdUpdates(tdUpdates)
                .replayBatch(replayBatch).targetEntropy(0.0).credit("first-order").prior("none")
                .paperExact(false).nstep(1).build();
    }

    private static CandidateBatch aligned(NDManager m, long k, int n, float[] alignment) {
        CandidateBatch b = batch(m, k, hidden(1000 + k, n, D), n, D);
        return new CandidateBatch(k, b.windows(), b.loss(), b.entropy(), b.hidden(), alignment);
    }

    @Test
    void saveRestoreCarriesTheReplayBufferAndBeta() throws Exception {
        saveRestoreContinues(SoftQConfig.builder().beta(0.1).gamma(0.5).tau(0.05).qLr(0.01).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("running").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss+entropy").replay(8).tdUpdates(3)
                .replayBatch(4).targetEntropy(0.5).credit("pick").prior("none").paperExact(false)
                .nstep(1).build());
    }

    @Test
    void saveRestoreContinuesWithFirstOrderCredit() throws Exception {
        saveRestoreContinues(SoftQConfig.builder().beta(0.1).gamma(0.0).tau(0.05).qLr(0.01).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("ema").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(32).tdUpdates(3).replayBatch(4)
                .targetEntropy(0.0).credit("first-order").prior("none").paperExact(false).nstep(1).build());
    }

    private static void saveRestoreContinues(SoftQConfig cfg) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (NDManager m = NDManager.newBaseManager();
             SoftQSelector a = selector(m, cfg, 1, 5, D, 1);
             SoftQSelector b = selector(m, cfg, 1, 5, D, 99)) {
            for (int k = 0; k < 12; k++) {
                step(a, lossy(m, k), -2 + 0.1 * Math.sin(k));
            }
            SelectorState saved = a.save();
            Map<String, Object> values = json.readValue(json.writeValueAsString(saved.values()), Map.class);
            try (NDManager tmp = m.newSubManager()) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                saved.tensors().forEach((k, v) -> tensors.put(k, tmp.create(v.toFloatArray(), v.getShape())));
                b.restore(new SelectorState(values, tensors));
            }
            assertEquals(a.replaySize(), b.replaySize());
            assertEquals(a.beta(), b.beta(), 0);
            for (int k = 12; k < 20; k++) {
                Selection sa = step(a, lossy(m, k), -2 + 0.1 * Math.sin(k));
                Selection sb = step(b, lossy(m, k), -2 + 0.1 * Math.sin(k));
                assertArrayEquals(sa.picked(), sb.picked(), "step " + k);
            }
            assertSame(a.online().snapshot(), b.online().snapshot());
            assertSame(a.target().snapshot(), b.target().snapshot());
        }
    }

    private static CandidateBatch lossy(NDManager m, long k) {
        CandidateBatch b = batch(m, k, hidden(k, 5, D), 5, D);
        float[] alignment = new float[5];
        for (int i = 0; i < 5; i++) {
            b.loss()[i] = (float) (1 + Math.cos(k + i));
            b.entropy()[i] = (float) (2 + Math.sin(3 * k + i));
            alignment[i] = (float) Math.sin(7 * k + i);
        }
        return new CandidateBatch(k, b.windows(), b.loss(), b.entropy(), b.hidden(), alignment);
    }

    private static void assertSame(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
    }
}
