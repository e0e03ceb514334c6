package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQTdStepTest.grad;
import static dev.curlab.select.softq.SoftQTdStepTest.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Q-learning core on plain rows, with no selector around it: its Q-values, Boltzmann policy, TD
 * target, SGD step and Polyak update recomputed by hand in double precision from snapshots of phi and
 * phibar (the softmax and the soft value written out here, not taken from SoftQMath); several picked
 * rows per step, each a transition with the step's reward; and a save/restore round trip.
 */
class SoftQCoreTest {
    static final int N = 4;
    static final int D = 3;
    static final double BETA = 0.7;
    static final double GAMMA = 0.6;
    static final double TAU = 0.25;
    static final double ETA = 0.02;

    private static SoftQConfig cfg() {
        return SoftQConfig.builder().beta(BETA).gamma(GAMMA).tau(TAU).qLr(ETA).qClip(0.0)
                .qHidden(SoftQTdStepTest.W).qOptimizer("sgd").softMixture(false).rewardNorm("none")
                .exploreFloor(0.0).qInitScale(1.0).features("hidden").replay(1).tdUpdates(1)
                .replayBatch(1).targetEntropy(0.0).credit("pick").prior("none").paperExact(false)
                .nstep(1).build();
    }

    private static float[] rows(long seed) {
        return SoftQFixtures.hidden(seed, N, D);
    }

    private static float[] row(float[] x, int i) {
        return Arrays.copyOfRange(x, i * D, (i + 1) * D);
    }

    @Test
    void qPolicyTargetSgdAndPolyakMatchTheEquationsByHand() {
        try (NDManager m = NDManager.newBaseManager(); SoftQCore core = new SoftQCore(m, cfg(), D, 11, "test/core")) {
            float[] prevX = null;
            int[] prevPicks = null;
            double prevR = 0;
            for (int k = 0; k < 4; k++) {
                float[] x = rows(100 + k);
                Map<String, float[]> phi = core.online().snapshot();
                Map<String, float[]> phiBar = core.target().snapshot();
                double[] q = core.q(x, N, k);
                double[] qBar = new double[N];
                for (int i = 0; i < N; i++) {
                    assertEquals(q(phi, row(x, i)), q[i], 1e-5, "Q_phi row " + i);         // eq. 2
                    qBar[i] = q(phiBar, row(x, i));
                }
                SoftQCore.TdReport td = core.learn(k, x, N, null);
                if (k == 0) {
                    assertNull(td, "nothing pending at the bootstrap step");
                } else {
                    double sum = 0;
                    for (double v : qBar) {
                        sum += Math.exp(v / BETA);
                    }
                    double v = BETA * Math.log(sum);                                    // eq. 4
                    double y = (1 - GAMMA) * prevR + GAMMA * v;                           // eq. 3
                    assertEquals(v, td.softValue(), 1e-5);
                    assertEquals(y, td.target(), 1e-5);
                    // capacity 1 keeps the newest transition: the last picked row of the previous step
                    float[] xPrev = row(prevX, prevPicks[prevPicks.length - 1]);
                    double e = q(phi, xPrev) - y;
                    assertEquals(0.5 * e * e, td.loss(), 1e-5);
                    Map<String, double[]> g = grad(phi, xPrev, y);
                    Map<String, float[]> after = core.online().snapshot();
                    Map<String, float[]> barAfter = core.target().snapshot();
                    for (String name : QNetwork.NAMES) {
                        for (int i = 0; i < g.get(name).length; i++) {
                            double expected = phi.get(name)[i] - ETA * g.get(name)[i];        // line 19, SGD
                            assertEquals(expected, after.get(name)[i], 1e-6, name + "[" + i + "]");
                            double bar = TAU * after.get(name)[i] + (1 - TAU) * phiBar.get(name)[i]; // eq. 5
                            assertEquals(bar, barAfter.get(name)[i], 1e-6, "phibar " + name + "[" + i + "]");
                        }
                    }
                }
                double[] pi = core.boltzmann(q);
                double z = 0;
                for (double v : q) {
                    z += Math.exp(v / BETA);
                }
                for (int i = 0; i < N; i++) {
                    assertEquals(Math.exp(q[i] / BETA) / z, pi[i], 1e-12, "eq. 6");
                }
                int[] a = core.act(pi, 2);
                assertEquals(2, Arrays.stream(a).distinct().count(), "two distinct picks");
                core.pend(x, a, pi, null, a[0]);
                assertEquals(2, core.pendingRows());
                prevR = -0.5 + 0.4 * k;
                core.reward(prevR);
                prevX = x;
                prevPicks = a;
            }
            assertEquals(3, core.qUpdates());
        }
    }

    @Test
    void aSkippedStepDropsThePendingRowsAndNoUpdateFollows() {
        try (NDManager m = NDManager.newBaseManager(); SoftQCore core = new SoftQCore(m, cfg(), D, 3, "test/core")) {
            float[] x = rows(1);
            core.learn(0, x, N, null);
            core.pend(x, new int[] {2}, core.boltzmann(core.q(x, N, 0)), null, 2);
            core.skip();
            assertEquals(0, core.pendingRows());
            assertNull(core.learn(1, rows(2), N, null));
            assertEquals(0, core.qUpdates());
        }
    }

    @Test
    void saveAndRestoreContinueTheSameNumbers() {
        try (NDManager m = NDManager.newBaseManager();
             SoftQCore a = new SoftQCore(m, cfg(), D, 5, "test/core");
             SoftQCore b = new SoftQCore(m, cfg(), D, 99, "test/core")) {
            for (int k = 0; k < 3; k++) {
                step(a, k);
            }
            Map<String, Object> v = new LinkedHashMap<>();
            Map<String, NDArray> t = new LinkedHashMap<>();
            a.save(v, t);
            b.restore(v, t);
            for (int k = 3; k < 6; k++) {
                int[] pa = step(a, k);
                int[] pb = step(b, k);
                assertArrayEquals(pa, pb, "step " + k);
            }
            assertEquals(a.online().snapshot().keySet(), b.online().snapshot().keySet());
            for (String name : QNetwork.NAMES) {
                assertArrayEquals(a.online().snapshot().get(name), b.online().snapshot().get(name), name);
                assertArrayEquals(a.target().snapshot().get(name), b.target().snapshot().get(name), name);
            }
        }
    }

    private static int[] step(SoftQCore core, int k) {
        float[] x = rows(200 + k);
        double[] q = core.q(x, N, k);
        core.learn(k, x, N, null);
        double[] pi = core.boltzmann(q);
        int[] a = core.act(pi, 1);
        core.pend(x, a, pi, null, a[0]);
        core.reward(Math.sin(k));
        return a;
    }
}
