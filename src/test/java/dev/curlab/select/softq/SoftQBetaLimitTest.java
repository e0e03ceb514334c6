package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.curlab.select.baselines.RhoLossSelectorTest;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest usable --beta: with the reducible-loss prior the policy's logits are q + beta z / 0.1,
 * with |z| <= sqrt(N - 1) for a z-score over N candidates, and the soft value is at most the largest
 * logit plus beta ln N; the prior logits and the TD target gamma V are float32. The bound keeps them
 * finite with half of the float range to spare, and four times the bound overflows.
 */
class SoftQBetaLimitTest {

    private static SoftQConfig withBeta(double beta, String prior, double gamma) {
        return SoftQConfig.DEFAULT.toBuilder().beta(beta).gamma(gamma).softMixture(false).targetEntropy(0.0).credit("pick").prior(prior)
                .paperExact(false).nstep(1).build();
    }

    /** The worst case of Samuelson's inequality: one candidate sqrt(N - 1) standard deviations from the rest. */
    private static float[] extremeZ(int n) {
        float[] loss = new float[n];
        loss[0] = 1;
        return CandidateFeatures.zScore(loss);
    }

    private static boolean floatFinite(double v) {
        return Float.isFinite((float) v);
    }

    @Test
    void theBoundIsWhereTheFloatArithmeticOfThePriorAndTheSoftValueOverflows() {
        for (int n : new int[] {2, 16, 1000, 100_000}) {
            float[] z = extremeZ(n);
            assertEquals(Math.sqrt(n - 1.0), z[0], 1e-3 * Math.sqrt(n), "max |z| over " + n);
            double max = withBeta(1, "reducible", 0.9).maxBeta(n);
            for (double factor : new double[] {1, 4}) {
                double beta = factor * max;
                double[] logits = new double[n];
                boolean priorFits = true;
                for (int i = 0; i < n; i++) {
                    logits[i] = beta * z[i] / SoftQSelector.PRIOR_TEMPERATURE;     // q = 0
                    priorFits &= floatFinite(logits[i]);                           // stored as float32 for replay
                }
                double v = SoftQMath.softValue(logits, beta);
                boolean targetFits = floatFinite(SoftQMath.tdTarget(1, v, 0.9));   // y is a float32 tensor
                if (factor == 1) {
                    assertTrue(priorFits && targetFits, "N " + n + ": at the bound everything is finite");
                    double[] pi = SoftQMath.boltzmann(logits, beta);
                    assertTrue(Double.isFinite(SoftQMath.entropy(pi)), "a proper policy at the bound");
                } else {
                    assertFalse(priorFits && targetFits, "N " + n + ": four times the bound overflows");
                }
            }
        }
        assertEquals(Float.MAX_VALUE / (2 * (10 * Math.sqrt(15) + Math.log(16))), withBeta(1, "reducible", 0).maxBeta(16), 1e30);
        assertEquals(Float.MAX_VALUE / (2 * Math.log(16)), withBeta(1, "none", 0).maxBeta(16), 1e30, "without the prior only V counts");
        assertEquals(Double.POSITIVE_INFINITY, withBeta(1, "none", 0).maxBeta(1), "one candidate: nothing depends on beta");
    }

    @Test
    void aBetaOverTheBoundForTheRunsNIsRefusedWithTheRange() {
        UserError e = assertThrows(UserError.class, () -> withBeta(1e308, "reducible", 0).requireBetaFits(16));
        assertEquals("--beta must be in (0, 4.1e+36] for -N 16 (with --q-prior reducible the policy's logits beta z / 0.1 "
                + "and the soft value must stay within float32), got 1.0E308", e.getMessage());
        withBeta(4e36, "reducible", 0).requireBetaFits(16);
    }

    /** A selector built past the config check stops with the quantity and the option, not "all weights are zero". */
    @Test
    void aPolicyThatOverflowsIsANamedNumericalFault(@TempDir Path cache) {
        GptConfig tiny = new GptConfig("custom", 2, 32, 2, 16, 50);
        BaselineConfig b = new BaselineConfig(0, 0, 0.01, 0, "auto", 4, 3, cache.toString(), 0, 10, 0.1, 0.2);
        List<Window> candidates = RhoLossSelectorTest.windows(2, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            SelectorContext ctx = new SelectorContext(11, 4, tiny.dModel(), 20, manager,
                    new SelectorSettings(1, withBeta(1e308, "reducible", 0), b), Map.of(), tiny, RhoLossSelectorTest.windows(1, 10),
                    Map.of("lr", 3e-3, "clip", 1.0, "weight_decay", 0.01, "microbatch", 8));
            try (SoftQSelector s = new SoftQSelector(ctx)) {
                CandidateBatch batch = new CandidateBatch(0, candidates, new float[] {3f, 5f, 4f, 4.5f}, null,
                        manager.create(new float[4 * tiny.dModel()], new Shape(4, tiny.dModel())));
                StepMetrics m = new StepMetrics();
                s.learn(batch, m);
                NonFiniteQError e = assertThrows(NonFiniteQError.class, () -> s.select(batch, m));
                assertTrue(e.getMessage().startsWith("step 1: non-finite soft-q policy logit"), e.getMessage());
                assertTrue(e.getMessage().contains("--beta"), e.getMessage());
            }
        }
    }
}
