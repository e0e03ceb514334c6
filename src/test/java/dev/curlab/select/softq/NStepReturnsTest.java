package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.curlab.select.SelectorState;
import dev.curlab.select.softq.ReplayBuffer.Transition;
import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

class NStepReturnsTest {

    /**
     * n = 3, gamma 0.5, beta 0.1, r = (1, 2, 4), rho = (-, 0.2, 0.4), V = 10:
     * G = 0.5 (1 + 0.5 * 2 + 0.25 * 4) - 0.1 (0.5 * 0.2 + 0.25 * 0.4) = 1.5 - 0.02 = 1.48; y = 1.48 + 0.125 * 10 = 2.73.
     */
    @Test
    void targetMatchesHandComputedValues() {
        double[] r = {1, 2, 4};
        double[] rho = {9, 0.2, 0.4};   // rho_0 belongs to the action being valued: not a term of its target
        assertEquals(1.48, NStepReturns.partialReturn(r, rho, 0.5, 0.1), 1e-12);
        assertEquals(2.73, NStepReturns.target(r, rho, 10, 0.5, 0.1), 1e-12);
        // n = 1 is eq. 3: (1 - gamma) r + gamma V
        assertEquals(SoftQMath.tdTarget(3, 10, 0.9), NStepReturns.target(new double[] {3}, new double[] {5}, 10, 0.9, 0.3), 1e-12);
        // beta 0: the plain n-step return of n-step DQN, in eq. 3's (1 - gamma) scale
        assertEquals(0.1 * (1 + 0.9 * 2) + 0.81 * 7, NStepReturns.target(new double[] {1, 2}, new double[] {0, 5}, 7, 0.9, 0), 1e-12);
    }

    /** Picks leave as transitions n - 1 pushes later, with the tail state of their n-th successor. */
    @Test
    void pushEmitsTheOldestPickWithItsTail() {
        NStepReturns ns = new NStepReturns(2, 0.5);
        float[] x0 = {1};
        float[] x1 = {2};
        float[] next1 = {7, 7};
        float[] next2 = {8, 8};
        assertNull(ns.push(new NStepReturns.Pick(x0, 1, 0.3), 0.1, next1, null));
        Transition t = ns.push(new NStepReturns.Pick(x1, 2, 0.6), 0.1, next2, null);
        assertSame(x0, t.x());
        assertSame(next2, t.next(), "the state two steps after x0");
        assertEquals(0.5 * (1 + 0.5 * 2) - 0.1 * 0.5 * 0.6, t.r(), 1e-12);
        assertEquals(0.25, ns.tailDiscount(), 0);
        assertEquals(1, ns.waiting().size());
        ns.clear();
        assertNull(ns.push(new NStepReturns.Pick(x0, 1, 0), 0.1, next1, null), "a skipped step ends the chain");
    }

    @Test
    void logRatioAgainstUniformOrThePrior() {
        double[] pi = {0.5, 0.25, 0.25};
        assertEquals(Math.log(1.5), NStepReturns.logRatio(pi, null, 0.3, 0), 1e-12);
        double beta = 0.3;   // prior logits beta ln (2, 1, 1): pi0 = (0.5, 0.25, 0.25) = pi
        double[] prior = {beta * Math.log(2), 0, 0};
        assertEquals(0, NStepReturns.logRatio(pi, prior, beta, 0), 1e-12);
        assertEquals(0, NStepReturns.logRatio(pi, prior, beta, 2), 1e-12);
        assertEquals(Math.log(0.5 / 0.25), NStepReturns.logRatio(new double[] {0.25, 0.5, 0.25}, prior, beta, 1), 1e-12);
    }

    @Test
    void optionsAreValidated() {
        SoftQConfig d = SoftQConfig.DEFAULT;
        UserError e = assertThrows(UserError.class, () -> withNStep(d, "first-order", 0.9, false, 4));
        assertTrue(e.getMessage().startsWith("--q-nstep 4 needs --q-credit pick"), e.getMessage());
        e = assertThrows(UserError.class, () -> withNStep(d, "pick", 0, false, 4));
        assertTrue(e.getMessage().startsWith("--q-nstep 4 needs --gamma > 0"), e.getMessage());
        e = assertThrows(UserError.class, () -> withNStep(d, "pick", 0.9, false, -1));
        assertTrue(e.getMessage().startsWith("--q-nstep must be >= 1"), e.getMessage());
        SoftQConfig p = SoftQConfig.PAPER;
        e = assertThrows(UserError.class, () -> p.toBuilder().paperExact(true).nstep(3).build());
        assertTrue(e.getMessage().contains("--paper-exact uses the one-step target"), e.getMessage());
        assertEquals(1, d.nstep());
        assertEquals(1, SoftQConfig.PAPER.nstep());
        assertEquals(1, withNStep(d, "pick", 0.9, false, 0).nstep(), "a config saved before the option reads as 1");
    }

    /** In the selector: a transition enters the replay only once n picks are rewarded, and a resume continues exactly. */
    @Test
    void selectorFillsTheReplayNStepsLateAndResumesExactly() {
        int n = 4;
        int d = 6;
        SoftQConfig cfg = withNStep(SoftQFixtures.defaultsWithoutModel(), "pick", 0.9, false, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            SoftQSelector a = SoftQFixtures.selector(m, cfg, 1, n, d, 5);
            for (int k = 0; k < 3; k++) {
                SoftQFixtures.step(a, SoftQFixtures.batch(m, k, SoftQFixtures.hidden(k, n, d), n, d), 0.1 * k);
                assertEquals(0, a.replaySize(), "step " + k);
            }
            SoftQFixtures.step(a, SoftQFixtures.batch(m, 3, SoftQFixtures.hidden(3, n, d), n, d), 0.3);
            assertEquals(1, a.replaySize(), "the pick of step 0 completes with the candidates of step 3");
            for (int k = 4; k < 8; k++) {
                SoftQFixtures.step(a, SoftQFixtures.batch(m, k, SoftQFixtures.hidden(k, n, d), n, d), -0.2 * k);
            }
            assertEquals(5, a.replaySize());
            SelectorState saved = a.save();
            SoftQSelector b = SoftQFixtures.selector(m, cfg, 1, n, d, 99);
            b.restore(saved);
            for (int k = 8; k < 14; k++) {
                float[] h = SoftQFixtures.hidden(k, n, d);
                int pa = SoftQFixtures.step(a, SoftQFixtures.batch(m, k, h, n, d), Math.sin(k)).train()[0];
                int pb = SoftQFixtures.step(b, SoftQFixtures.batch(m, k, h, n, d), Math.sin(k)).train()[0];
                assertEquals(pa, pb, "step " + k);
            }
            assertEquals(a.replaySize(), b.replaySize());
            SelectorState sa = a.save();
            SelectorState sb = b.save();
            int compared = 0;
            for (String name : sa.tensors().keySet()) {
                if (name.startsWith("phi.")) {
                    assertArrayEquals(sa.tensors().get(name).toFloatArray(), sb.tensors().get(name).toFloatArray(), name);
                    compared++;
                }
            }
            assertTrue(compared > 0);
            assertEquals(sa.values().get("nstep_r"), sb.values().get("nstep_r"));
            a.close();
            b.close();
        }
    }

    static SoftQConfig withNStep(SoftQConfig d, String credit, double gamma, boolean paperExact, int nstep) {
        return d.toBuilder().gamma(gamma).credit(credit).paperExact(paperExact).nstep(nstep).build();
    }
}
