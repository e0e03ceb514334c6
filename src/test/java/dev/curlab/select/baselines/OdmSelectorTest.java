package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OdmSelectorTest {

    @Test
    void explorationScheduleMatchesTheirFormula() {
        assertEquals(0.5, OdmSelector.epsilon(0, 2), 1e-12);
        assertEquals(0.5, OdmSelector.epsilon(1, 2), 1e-12);                       // sqrt(ln 2 / 2) = 0.589 > 1/2
        assertEquals(Math.sqrt(Math.log(2) / 4), OdmSelector.epsilon(2, 2), 1e-12); // 0.41628
        assertEquals(0.2, OdmSelector.epsilon(8, 5), 1e-12);                       // 1/K until t > K ln K = 8.05
        assertEquals(Math.sqrt(Math.log(5) / 45), OdmSelector.epsilon(9, 5), 1e-12);
        assertEquals(0.0, OdmSelector.epsilon(3, 1), 1e-12);                       // one source: no exploration
    }

    /** Three EXP3 updates over sources {a, b} by hand: a (loss 3), b (loss 2), a (loss 2.5). */
    @Test
    void policyAndRewardsMatchHandComputedValuesOverThreeSteps() {
        double[] r = {0, 0};
        assertArrayEquals(new double[] {0.5, 0.5}, OdmSelector.policy(r, 0), 1e-12);
        r[0] += OdmSelector.estimatedReward(3.0, 0.5);                              // 0.3 / 0.5 = 0.6
        assertEquals(0.6, r[0], 1e-12);
        // t = 1: eps_1 = 1/K, so (1 - K eps) = 0 and the policy is still uniform
        assertArrayEquals(new double[] {0.5, 0.5}, OdmSelector.policy(r, 1), 1e-12);
        r[1] += OdmSelector.estimatedReward(2.0, 0.5);                              // 0.4
        // t = 2: eps_2 = 0.416277, eps_1 = 0.5: (1 - 0.832555) softmax([0.3, 0.2]) + 0.416277
        double[] p = OdmSelector.policy(r, 2);
        assertArrayEquals(new double[] {0.5041826497603759, 0.49581735023962414}, p, 1e-12);
        r[0] += OdmSelector.estimatedReward(2.5, p[0]);                             // 0.25 / 0.50418 = 0.49585
        assertEquals(1.0958520490913723, r[0], 1e-12);
        // t = 3: eps_3 = 0.339889, eps_2 = 0.416277
        assertArrayEquals(new double[] {0.5230286723948872, 0.4769713276051129}, OdmSelector.policy(r, 3), 1e-12);
    }

    @Test
    void policyStaysFiniteWhenRewardsGrowLarge() {
        double[] p = OdmSelector.policy(new double[] {1e6, 0, 2e6}, 100);
        double eps = OdmSelector.epsilon(100, 3);
        assertArrayEquals(new double[] {eps, eps, 1 - 2 * eps}, p, 1e-12);
    }

    static CandidateBatch batch(long step, String[] sources, float[] loss) {
        return Batches.of(step, sources, null, loss, null);
    }

    static void observe(OdmSelector s, CandidateBatch b, Selection sel) {
        s.observe(new Outcome(b.step(), 0, b.loss()[sel.train()[0]], sel, b), new StepMetrics());
    }

    @Test
    void creditsThePickedSourceWithItsImportanceWeightedLoss() {
        OdmSelector s = new OdmSelector(3, 1);
        CandidateBatch b = batch(0, new String[] {"a", "b", "a", "b"}, new float[] {3f, 2f, 3f, 2f});
        StepMetrics m = new StepMetrics();
        Selection sel = s.select(b, m);
        String source = b.window(sel.train()[0]).source();
        assertEquals(source, m.get("odm_source"));
        assertEquals(0.5, (Double) m.get("odm_prob"), 1e-12);
        observe(s, b, sel);
        double loss = source.equals("a") ? 3 : 2;
        assertEquals(Map.of(source, 0.1 * loss / 0.5, source.equals("a") ? "b" : "a", 0.0), s.cumulative());
    }

    @Test
    void anAbsentSourceIsNotDrawnAndThePresentOneIsPlayedWithCertainty() {
        OdmSelector s = new OdmSelector(4, 1);
        observe(s, batch(0, new String[] {"a", "b"}, new float[] {1f, 1f}),
                s.select(batch(0, new String[] {"a", "b"}, new float[] {1f, 1f}), new StepMetrics()));
        Map<String, Double> before = s.cumulative();
        CandidateBatch onlyB = batch(1, new String[] {"b", "b", "b"}, new float[] {2f, 2f, 2f});
        StepMetrics m = new StepMetrics();
        Selection sel = s.select(onlyB, m);
        assertEquals("b", m.get("odm_source"));
        assertEquals(1.0, (Double) m.get("odm_prob"), 1e-12);                      // restricted to {b}: p = 1
        assertEquals(0.5, (Double) m.get("odm_absent_mass"), 1e-12);               // pi(a) at t = 1 (uniform)
        observe(s, onlyB, sel);
        assertEquals(before.get("b") + 0.2, s.cumulative().get("b"), 1e-12);
    }

    /** Draws B distinct candidates; each is credited. */
    @Test
    void batchesPickDistinctCandidates() {
        OdmSelector s = new OdmSelector(5, 3);
        CandidateBatch b = batch(0, new String[] {"a", "a", "b", "c"}, new float[] {1f, 1f, 1f, 1f});
        Selection sel = s.select(b, new StepMetrics());
        assertEquals(3, java.util.Arrays.stream(sel.train()).distinct().count());
    }

    /** A selector restored from a mid-run checkpoint makes the same choices as the one that ran on. */
    @Test
    void restoredMidRunMakesTheSameChoices() {
        String[] sources = {"a", "b", "c", "a", "b", "c"};
        List<CandidateBatch> batches = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            float[] loss = new float[sources.length];
            for (int i = 0; i < loss.length; i++) {
                loss[i] = 1f + (i % 3) + 0.01f * t;
            }
            batches.add(batch(t, sources, loss));
        }
        OdmSelector full = new OdmSelector(6, 1);
        List<Integer> fullPicks = new ArrayList<>();
        SelectorState mid = null;
        for (int t = 0; t < 30; t++) {
            if (t == 15) {
                mid = full.save();
            }
            Selection sel = full.select(batches.get(t), new StepMetrics());
            fullPicks.add(sel.train()[0]);
            observe(full, batches.get(t), sel);
        }
        OdmSelector resumed = new OdmSelector(99, 1);
        resumed.restore(mid);
        for (int t = 15; t < 30; t++) {
            Selection sel = resumed.select(batches.get(t), new StepMetrics());
            assertEquals(fullPicks.get(t), sel.train()[0], "step " + t);
            observe(resumed, batches.get(t), sel);
        }
        assertEquals(full.cumulative(), resumed.cumulative());
    }
}
