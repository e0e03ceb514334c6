package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Window;
import dev.curlab.model.GptConfig;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.StepMetrics;
import dev.curlab.select.baselines.BaselineConfig;
import dev.curlab.select.baselines.IrreducibleLossModel;
import dev.curlab.select.baselines.RhoLossSelectorTest;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --q-prior reducible: the policy is softmax((q + beta log pi0) / beta), pi0 = softmax(z(L - IL) / 0.1),
 * RHO-LOSS's preference plus Q.
 */
class SoftQPriorTest {
    private static final GptConfig TINY = new GptConfig("custom", 2, 32, 2, 16, 50);

    private static List<Window> windows(long seed, int count) {
        return RhoLossSelectorTest.windows(seed, count);                    // TINY's context, no labels
    }

    /** L(x) - IL(x) by the IL model directly. */
    private static float[] reducible(IrreducibleLossModel il, List<Window> candidates, float[] loss) {
        List<int[]> tokens = new ArrayList<>();
        candidates.forEach(w -> tokens.add(w.tokens()));
        float[] irreducible = il.loss(tokens);
        float[] out = new float[loss.length];
        for (int i = 0; i < loss.length; i++) {
            out[i] = loss[i] - irreducible[i];
        }
        return out;
    }

    private static SoftQConfig prior(double qInitScale, double gamma) {
        return SoftQConfig.builder().beta(0.1).gamma(gamma).tau(0.01).qLr(1e-3).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("ema").exploreFloor(0.0)
                .qInitScale(qInitScale).features("hidden+loss").replay(16).tdUpdates(1)
                .replayBatch(4).targetEntropy(0.0).credit("pick").prior("reducible")
                .paperExact(false).nstep(1).build();
    }

    private static SelectorContext context(SoftQConfig cfg, Path cache, NDManager manager) {
        BaselineConfig b = new BaselineConfig(0, 0, 0.01, 0, "auto", 4, 3, cache.toString(), 0, 10, 0.1, 0.2);
        return new SelectorContext(11, 4, TINY.dModel(), 20, manager, new SelectorSettings(1, cfg, b), Map.of(),
                TINY, windows(1, 10), Map.of("lr", 3e-3, "clip", 1.0, "weight_decay", 0.01, "microbatch", 8));
    }

    @Test
    void withAZeroQThePolicyLogitsAreTheScaledZScoredReducibleLoss(@TempDir Path cache) {
        List<Window> candidates = windows(2, 4);
        float[] loss = {3.0f, 5.0f, 4.0f, 4.5f};
        try (NDManager manager = NDManager.newBaseManager();
             SoftQSelector s = new SoftQSelector(context(prior(0.0, 0.0), cache, manager));
             IrreducibleLossModel il = IrreducibleLossModel.of(context(prior(0.0, 0.0), cache, manager))) {
            assertTrue(il.cached(), "the same IL model, from the cache the selector wrote");
            float[] reducible = reducible(il, candidates, loss);
            float[] z = CandidateFeatures.zScore(reducible);
            CandidateBatch batch = new CandidateBatch(0, candidates, loss, null,
                    manager.create(new float[4 * TINY.dModel()], new Shape(4, TINY.dModel())));
            StepMetrics m = new StepMetrics();
            s.learn(batch, m);
            s.select(batch, m);
            double[] logits = m.candidateValues();
            double sumPi = 0;
            double[] pi = SoftQMath.boltzmann(logits, 0.1);
            double logZ = 0;
            for (float zi : z) {
                logZ += Math.exp(zi / 0.1);
            }
            logZ = Math.log(logZ);
            double sumPi0 = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(0.1 * (z[i] / 0.1 - logZ), logits[i], 1e-5, "candidate " + i); // q = 0: only beta log pi0
                sumPi += pi[i];
                sumPi0 += Math.exp(logits[i] / 0.1);
            }
            assertEquals(1.0, sumPi0, 1e-5, "the prior's logits are beta times normalised log-probabilities");
            assertEquals(1.0, sumPi, 1e-9);
            int top = 0;
            for (int i = 1; i < 4; i++) {
                top = reducible[i] > reducible[top] ? i : top;
            }
            for (int i = 0; i < 4; i++) {
                assertTrue(pi[top] >= pi[i], "the highest reducible loss is the most likely pick");
            }
            assertEquals(4L * 3 * TINY.context(), m.get("il_train_tokens"), "charged like rho-loss: --il-steps 4 x --il-batch 3 windows");
            assertEquals(4L * TINY.context(), m.get("il_forward_tokens"));
        }
    }

    /**
     * With gamma > 0 the bootstrap's soft value is taken under the prior policy, V = beta ln sum_j
     * pi0_j exp(qbar_j / beta), pi0 normalised: a constant reward r drives the Q-value of the action
     * taken (the prior's near-certain pick) to r itself. With the prior's unnormalised logits p_j it
     * would be r + gamma / (1 - gamma) * beta * ln sum_j exp(p_j / beta), an offset that changes with
     * the step's candidates.
     */
    @Test
    void theBootstrapCarriesThePrior(@TempDir Path cache) {
        double r = -2;
        double gamma = 0.5;
        double beta = 0.5;
        SoftQConfig cfg = SoftQConfig.builder().beta(beta).gamma(gamma).tau(1.0).qLr(0.05).qClip(0.0).qHidden(8)
                .qOptimizer("sgd").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(1.0).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.0).credit("pick").prior("reducible").paperExact(false).nstep(1).build();
        List<Window> candidates = windows(3, 4);
        float[] loss = {3.0f, 5.0f, 4.0f, 4.5f};
        float[] h = SoftQFixtures.hidden(5, 4, TINY.dModel());
        try (NDManager manager = NDManager.newBaseManager();
             SoftQSelector s = new SoftQSelector(context(cfg, cache, manager));
             IrreducibleLossModel il = IrreducibleLossModel.of(context(cfg, cache, manager))) {
            float[] reducible = reducible(il, candidates, loss);
            float[] z = CandidateFeatures.zScore(reducible);
            double partition = 0;
            for (float zi : z) {
                partition += Math.exp(zi / 0.1);                     // exp(p_j / beta), p_j = beta z_j / 0.1
            }
            double unnormalised = r + gamma / (1 - gamma) * beta * Math.log(partition);
            double expected = r;
            for (int k = 0; k < 1500; k++) {
                try (NDManager sm = manager.newSubManager()) {
                    CandidateBatch b = new CandidateBatch(k, candidates, loss.clone(), null,
                            sm.create(h, new Shape(4, TINY.dModel())));
                    SoftQFixtures.step(s, b, r);
                }
            }
            int top = 0;                                             // the prior's pick: nearly every action, so
            for (int i = 1; i < 4; i++) {                            // the transition Q learns from
                top = z[i] > z[top] ? i : top;
            }
            try (NDManager sm = manager.newSubManager()) {
                float[] q = s.online().forward(sm.create(h, new Shape(4, TINY.dModel()))).toFloatArray();
                assertEquals(expected, q[top], 1e-3, "Q-values " + java.util.Arrays.toString(q));
            }
            assertTrue(unnormalised - expected > 1, "the test tells the two apart: offset " + (unnormalised - expected));
        }
    }

    /**
     * Hand numbers for the soft value under the prior: with Q = 0 (output layer initialised to zero and
     * never stepped before step 1's V), V_1 = beta ln sum_j pi0_j exp(0) = beta ln 1 = 0, whatever the
     * candidates' reducible losses; the unnormalised logits would give beta ln sum_j exp(z_j / 0.1).
     */
    @Test
    void withAZeroQTheSoftValueUnderThePriorIsZero(@TempDir Path cache) {
        double beta = 0.5;
        SoftQConfig cfg = SoftQConfig.builder().beta(beta).gamma(0.5).tau(0.01).qLr(0.05).qClip(1.0).qHidden(8)
                .qOptimizer("sgd").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(0.0).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.0).credit("pick").prior("reducible").paperExact(false).nstep(1).build();
        try (NDManager manager = NDManager.newBaseManager(); SoftQSelector s = new SoftQSelector(context(cfg, cache, manager))) {
            SoftQFixtures.step(s, varied(manager, 0), -1.0);
            StepMetrics m = new StepMetrics();
            s.learn(varied(manager, 1), m);
            assertEquals(0.0, (Double) m.get("soft_value"), 1e-9);
            assertEquals(0.5 * -1.0 + 0.5 * 0.0, (Double) m.get("td_target"), 1e-6, "y = (1 - gamma) r + gamma * 0");
        }
    }

    /** The replayed transitions keep their next step's prior logits across a checkpoint. */
    @Test
    void saveRestoreCarriesTheNextPriors(@TempDir Path cache) throws Exception {
        SoftQConfig cfg = SoftQConfig.builder().beta(0.1).gamma(0.5).tau(0.05).qLr(0.01).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("ema").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(8).tdUpdates(2).replayBatch(4)
                .targetEntropy(0.0).credit("pick").prior("reducible").paperExact(false).nstep(1).build();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (NDManager manager = NDManager.newBaseManager();
             SoftQSelector a = new SoftQSelector(context(cfg, cache, manager));
             SoftQSelector b = new SoftQSelector(context(cfg, cache, manager))) {
            for (int k = 0; k < 12; k++) {
                SoftQFixtures.step(a, varied(manager, k), -2 + 0.1 * Math.sin(k));
            }
            dev.curlab.select.SelectorState saved = a.save();
            assertTrue(saved.tensors().containsKey("replay.next_prior"));
            @SuppressWarnings("unchecked")
            Map<String, Object> values = json.readValue(json.writeValueAsString(saved.values()), Map.class);
            try (NDManager tmp = manager.newSubManager()) {
                Map<String, ai.djl.ndarray.NDArray> tensors = new java.util.LinkedHashMap<>();
                saved.tensors().forEach((k, v) -> tensors.put(k, tmp.create(v.toFloatArray(), v.getShape())));
                b.restore(new dev.curlab.select.SelectorState(values, tensors));
            }
            for (int k = 12; k < 20; k++) {
                int[] pa = SoftQFixtures.step(a, varied(manager, k), -2 + 0.1 * Math.sin(k)).picked();
                int[] pb = SoftQFixtures.step(b, varied(manager, k), -2 + 0.1 * Math.sin(k)).picked();
                assertEquals(pa[0], pb[0], "step " + k);
            }
            Map<String, float[]> qa = a.online().snapshot();
            Map<String, float[]> qb = b.online().snapshot();
            qa.forEach((name, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, qb.get(name), name));
        }
    }

    /** Step k's four candidates: fresh windows, losses and hidden states. */
    private static CandidateBatch varied(NDManager m, long k) {
        float[] loss = new float[4];
        for (int i = 0; i < 4; i++) {
            loss[i] = (float) (4 + Math.cos(k + 2 * i));
        }
        return new CandidateBatch(k, windows(100 + k, 4), loss, null,
                m.create(SoftQFixtures.hidden(k, 4, TINY.dModel()), new Shape(4, TINY.dModel())));
    }

    @Test
    void firstOrderCreditNeedsTheBanditCase() {
        UserError e = assertThrows(UserError.class, () -> SoftQConfig.builder().beta(0.1).gamma(0.9).tau(0.01).qLr(1e-3).qClip(1.0).qHidden(8)
                .qOptimizer("adam").softMixture(false).rewardNorm("ema").exploreFloor(0.0)
                .qInitScale(0.01).features("hidden+loss").replay(16).tdUpdates(1).replayBatch(4)
                .targetEntropy(0.0).credit("first-order").prior("none").paperExact(false).nstep(1).build());
        assertTrue(e.getMessage().startsWith("--q-credit first-order needs --gamma 0"), e.getMessage());
    }
}
