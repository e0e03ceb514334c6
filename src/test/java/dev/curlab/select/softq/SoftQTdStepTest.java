package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQFixtures.batch;
import static dev.curlab.select.softq.SoftQFixtures.hidden;
import static dev.curlab.select.softq.SoftQFixtures.selector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.StepMetrics;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One TD step recomputed by hand in plain Java from snapshots of phi and phibar: the target's soft
 * value comes from the target network (tau < 1, so it differs from the online one), and the SGD step
 * on phi is -eta * g * min(1, G_q / |g|), with g the gradient of 1/2 (Q_phi(h_prev) - y)^2.
 */
class SoftQTdStepTest {
    static final int N = 3;
    static final int D = 4;
    static final int W = 32;   // the paper's width
    static final double BETA = 0.5;
    static final double GAMMA = 0.5;
    static final double ETA = 0.05;

    private static SoftQConfig cfg(double tau, double qClip) {
        return SoftQConfig.builder().beta(BETA).gamma(GAMMA).tau(tau).qLr(ETA).qClip(qClip).qHidden(W)
                .qOptimizer("sgd").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(1.0).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.0).credit("pick").prior("none").paperExact(false).nstep(1).build();
    }

    @Test
    void tdTargetUsesTheTargetNetworksSnapshotAndAnUnclippedStepIsPlainSgd() {
        checkTdStep(0.3, 0.0);   // clipping off
    }

    @Test
    void theQStepRespectsQClip() {
        checkTdStep(0.3, 0.002); // G_q below every gradient norm here: always clipped
    }

    private static void checkTdStep(double tau, double qClip) {
        try (NDManager m = NDManager.newBaseManager(); SoftQSelector s = selector(m, cfg(tau, qClip), 1, N, D, 3)) {
            float[] hPrev = null;
            double rPrev = 0;
            int checked = 0;
            for (int k = 0; k < 6; k++) {
                float[] h = hidden(40 + k, N, D);
                CandidateBatch b = batch(m, k, h, N, D);
                Map<String, float[]> phi = s.online().snapshot();
                Map<String, float[]> phiBar = s.target().snapshot();
                StepMetrics mt = new StepMetrics();
                s.learn(b, mt);
                if (k >= 2) {                                    // phi and phibar have parted by now
                    double[] qBar = new double[N];
                    double[] qOnline = new double[N];
                    for (int i = 0; i < N; i++) {
                        float[] row = Arrays.copyOfRange(h, i * D, (i + 1) * D);
                        qBar[i] = q(phiBar, row);
                        qOnline[i] = q(phi, row);
                    }
                    double v = SoftQMath.softValue(qBar, BETA);
                    double y = (1 - GAMMA) * rPrev + GAMMA * v;
                    double yOnline = (1 - GAMMA) * rPrev + GAMMA * SoftQMath.softValue(qOnline, BETA);
                    assertTrue(qClip > 0 || Math.abs(y - yOnline) > 1e-3, "the test can tell the two networks apart: " + y + " vs " + yOnline);
                    assertEquals(v, (Double) mt.get("soft_value"), 1e-5, "V_k from phibar, step " + k);
                    assertEquals(y, (Double) mt.get("td_target"), 1e-5, "y from phibar's V_k, step " + k);
                    // The Q step: g = grad of 1/2 (Q_phi(h_prev) - y)^2 at the phi before it.
                    Map<String, double[]> g = grad(phi, hPrev, y);
                    double norm = 0;
                    for (double[] gi : g.values()) {
                        for (double x : gi) {
                            norm += x * x;
                        }
                    }
                    norm = Math.sqrt(norm);
                    double scale = qClip > 0 && norm > qClip ? qClip / (norm + 1e-6) : 1;
                    assertEquals(norm, (Double) mt.get("td_grad_norm"), 1e-5 * Math.max(1, norm), "before clipping");
                    assertEquals(norm * scale, (Double) mt.get("td_grad_norm_clipped"), 1e-5 * Math.max(1, norm), "after clipping");
                    Map<String, float[]> after = s.online().snapshot();
                    double moved = 0;
                    for (String name : QNetwork.NAMES) {
                        for (int i = 0; i < g.get(name).length; i++) {
                            double expected = phi.get(name)[i] - ETA * g.get(name)[i] * scale;
                            assertEquals(expected, after.get(name)[i], 1e-6, name + "[" + i + "], step " + k);
                            double dx = after.get(name)[i] - phi.get(name)[i];
                            moved += dx * dx;
                        }
                    }
                    if (qClip > 0) {
                        assertTrue(norm > qClip, "clipping is active: |g| = " + norm);
                        assertEquals(ETA * qClip, Math.sqrt(moved), 1e-3 * ETA * qClip, "|delta phi| = eta * G_q");
                    }
                    checked++;
                }
                Selection sel = s.select(b, mt);
                hPrev = Arrays.copyOfRange(h, sel.picked()[0] * D, (sel.picked()[0] + 1) * D);
                rPrev = -1 + 0.3 * k;
                s.observe(new Outcome(k, rPrev, 0, sel, b), mt);
            }
            assertEquals(4, checked);
        }
    }

    /** Q(x) = W2 . relu(x W1 + b1) + b2 in double precision (weights stored (in, out)). */
    static double q(Map<String, float[]> p, float[] x) {
        double out = p.get("fc2.bias")[0];
        for (int j = 0; j < W; j++) {
            out += p.get("fc2.weight")[j] * Math.max(0, pre(p, x, j));
        }
        return out;
    }

    private static double pre(Map<String, float[]> p, float[] x, int j) {
        double a = p.get("fc1.bias")[j];
        for (int i = 0; i < x.length; i++) {
            a += x[i] * p.get("fc1.weight")[i * W + j];
        }
        return a;
    }

    /** Gradient of 1/2 (Q(x) - y)^2 with respect to each parameter, by hand. */
    static Map<String, double[]> grad(Map<String, float[]> p, float[] x, double y) {
        double e = q(p, x) - y;
        double[] gW1 = new double[x.length * W];
        double[] gB1 = new double[W];
        double[] gW2 = new double[W];
        for (int j = 0; j < W; j++) {
            double a = pre(p, x, j);
            gW2[j] = e * Math.max(0, a);
            double da = a > 0 ? e * p.get("fc2.weight")[j] : 0;
            gB1[j] = da;
            for (int i = 0; i < x.length; i++) {
                gW1[i * W + j] = x[i] * da;
            }
        }
        return Map.of("fc1.weight", gW1, "fc1.bias", gB1, "fc2.weight", gW2, "fc2.bias", new double[] {e});
    }
}
