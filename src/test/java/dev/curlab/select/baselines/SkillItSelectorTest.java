package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.data.Window;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkillItSelectorTest {
    private static final String[] SOURCES = {"digits", "carry", "sums", "digits", "carry", "sums"};

    private static List<Window> heldout(String... sources) {
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            out.add(Batches.window(i, sources[i], 1));
        }
        return out;
    }

    @Test
    void knownGraphLinksEveryPrerequisiteWithHalfWeight() {
        assertEquals(1, SkillItSelector.transfer("sums", "sums", "known"));
        assertEquals(0.5, SkillItSelector.transfer("carry", "sums", "known"));
        assertEquals(0.5, SkillItSelector.transfer("digits", "sums", "known"), "through carry");
        assertEquals(0.5, SkillItSelector.transfer("digits", "chain8", "known"), "digits -> chain2 -> chain4 -> chain8");
        assertEquals(0, SkillItSelector.transfer("digits", "fg", "known"));
        assertEquals(0, SkillItSelector.transfer("sums", "carry", "known"), "edges point forward only");
        assertEquals(0, SkillItSelector.transfer("noise", "copy", "known"));
        assertEquals(0, SkillItSelector.transfer("carry", "sums", "identity"));
        assertEquals(1, SkillItSelector.transfer("copy", "copy", "identity"));
    }

    /**
     * p_i ∝ p1_i exp(eta sum_j A_ij mean_tau L_j(tau)): skills digits, carry, sums, target sums,
     * A = (0.5, 0.5, 1), rounds L = 2 and 1 (mean 1.5), eta 0.5: logits 0.375, 0.375, 0.75, so
     * p = (1, 1, e^0.375) / (2 + e^0.375) = (0.289436, 0.289436, 0.421127).
     */
    @Test
    void mixtureUpdateMatchesHandComputedValues() {
        double[] p = SkillItSelector.mixture(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                new double[][] {{0.5}, {0.5}, {1}}, List.of(new double[] {2}, new double[] {1}), 0.5);
        assertArrayEquals(new double[] {0.2894361, 0.2894361, 0.4211278}, p, 1e-6);
        // two target columns, non-uniform p1: logits ln p1 + eta (A L): (ln .5 + 1*1*1, ln .25 + 1*0.5*3, ln .25 + 0)
        double[] q = SkillItSelector.mixture(new double[] {0.5, 0.25, 0.25},
                new double[][] {{1, 0}, {0, 0.5}, {0, 0}}, List.<double[]>of(new double[] {1, 3}), 1);
        double a = 0.5 * Math.E;
        double b = 0.25 * Math.exp(1.5);
        double c = 0.25;
        assertArrayEquals(new double[] {a / (a + b + c), b / (a + b + c), c / (a + b + c)}, q, 1e-12);
    }

    /** Round losses are the mean scoring-pass losses of the target's candidates; the selector's mixture follows. */
    @Test
    void selectorUpdatesAfterEachRoundFromTheTargetsCandidateLosses() {
        SkillItSelector s = new SkillItSelector(3, 1, 0.5, 2, "known", heldout("sums", "sums"));
        CandidateBatch b0 = Batches.of(0, SOURCES, null, new float[] {9, 9, 2.5f, 9, 9, 1.5f}, null);
        s.select(b0, new StepMetrics());
        // before any round: L = 1 (the authors' loss_init)
        double e = Math.exp(0.25);
        assertArrayEquals(new double[] {1 / (2 + e), 1 / (2 + e), e / (2 + e)}, s.currentMixture(), 1e-12);
        CandidateBatch b1 = Batches.of(1, SOURCES, null, new float[] {9, 9, 2, 9, 9, 2}, null);
        s.select(b1, new StepMetrics());
        // round 1: L_sums = mean(2.5, 1.5, 2, 2) = 2; logits 0.5, 0.5, 1
        double f = Math.exp(0.5);
        assertArrayEquals(new double[] {1 / (2 + f), 1 / (2 + f), f / (2 + f)}, s.currentMixture(), 1e-12);
        for (int k = 2; k < 4; k++) {   // round 2: L_sums = 1, window mean (2 + 1) / 2 = 1.5
            s.select(Batches.of(k, SOURCES, null, new float[] {9, 9, 1, 9, 9, 1}, null), new StepMetrics());
        }
        assertArrayEquals(new double[] {0.2894361, 0.2894361, 0.4211278}, s.currentMixture(), 1e-6);
        for (int k = 4; k < 10; k++) {  // rounds 3-5 at L = 4: only the last W = 3 rounds count
            s.select(Batches.of(k, SOURCES, null, new float[] {0, 0, 4, 0, 0, 4}, null), new StepMetrics());
        }
        // logits 0.5 * 0.5 * 4 = 1 (digits, carry) and 0.5 * 4 = 2 (sums)
        assertArrayEquals(new double[] {1 / (2 + Math.E), 1 / (2 + Math.E), Math.E / (2 + Math.E)}, s.currentMixture(), 1e-12);
    }

    @Test
    void picksFollowTheMixtureAmongTheSkillsPresent() {
        SkillItSelector s = new SkillItSelector(5, 1, 0.5, 1000, "known", heldout("sums"));   // L_sums stays 1
        int[] counts = new int[3];
        int n = 6000;
        for (int k = 0; k < n; k++) {
            Selection sel = s.select(Batches.of(k, SOURCES, null, new float[] {1, 1, 1, 1, 1, 1}, null), new StepMetrics());
            counts[sel.train()[0] % 3]++;
        }
        double e = Math.exp(0.25);
        assertEquals(e / (2 + e), counts[2] / (double) n, 0.02);
        assertEquals(1 / (2 + e), counts[0] / (double) n, 0.02);
        // a skill absent from the batch is never drawn
        for (int k = 0; k < 50; k++) {
            Selection sel = s.select(Batches.of(k, new String[] {"digits", "carry"}, null, new float[2], null), new StepMetrics());
            assertTrue(sel.train()[0] < 2);
        }
    }

    @Test
    void saveAndRestoreContinueIdentically() {
        SkillItSelector a = new SkillItSelector(7, 2, 0.5, 3, "known", heldout("sums", "carry"));
        for (int k = 0; k < 5; k++) {
            a.select(Batches.of(k, SOURCES, null, new float[] {1, 2, 3, 1, 2, 3 + k}, null), new StepMetrics());
        }
        SelectorState saved = a.save();
        SkillItSelector b = new SkillItSelector(99, 2, 0.5, 3, "known", heldout("sums", "carry"));
        b.restore(saved);
        assertArrayEquals(a.currentMixture(), b.currentMixture(), 0);
        for (int k = 5; k < 20; k++) {
            CandidateBatch batch = Batches.of(k, SOURCES, null, new float[] {1, 2, 3, k, 2, 1}, null);
            assertArrayEquals(a.select(batch, new StepMetrics()).train(), b.select(batch, new StepMetrics()).train());
            assertArrayEquals(a.currentMixture(), b.currentMixture(), 0);
        }
    }

    @Test
    void optionsAreValidated() {
        BaselineConfig d = BaselineConfig.DEFAULT;
        UserError e = assertThrows(UserError.class, () -> new BaselineConfig(0, 0, 0.01, 0, "auto", 300, 8, "c", 0, 10, 0.1,
                0.2, 0, 0.5, 50, "estimated"));
        assertTrue(e.getMessage().contains("--skillit-graph: expected known or identity, got 'estimated'"), e.getMessage());
        e = assertThrows(UserError.class, () -> new BaselineConfig(0, 0, 0.01, 0, "auto", 300, 8, "c", 0, 10, 0.1,
                0.2, 0, 0.5, 0, "known"));
        assertTrue(e.getMessage().contains("--skillit-round must be >= 1"), e.getMessage());
        assertEquals("known", d.skillItGraph());
        assertEquals(0.5, d.skillItEta());
    }

    /** Easy-to-hard: K levels in K equal stages; the stage's level first, then the nearest one. */
    @Test
    void easyToHardWalksTheLevelsInStages() {
        assertEquals(0, EasyToHardSelector.stage(0, 100, 4));
        assertEquals(0, EasyToHardSelector.stage(24, 100, 4));
        assertEquals(1, EasyToHardSelector.stage(25, 100, 4));
        assertEquals(3, EasyToHardSelector.stage(99, 100, 4));
        assertEquals(3, EasyToHardSelector.stage(150, 100, 4), "past the horizon: the last stage");
        EasyToHardSelector s = new EasyToHardSelector(1, 2, 100);
        double[] levels = {1, 2, 3, 4, 1, 3};
        String[] src = {"a", "b", "c", "d", "e", "f"};
        for (long step : new long[] {0, 30, 60, 90}) {
            int[] picks = s.select(Batches.of(step, src, levels, new float[6], null), new StepMetrics()).train();
            double want = 1 + EasyToHardSelector.stage(step, 100, 4);
            assertEquals(want, levels[picks[0]], "step " + step);
            double second = levels[picks[1]];
            // level 1 and 3 have two candidates; 2 and 4 one, so the second pick is the nearest other level (lower first)
            double expected = want == 1 ? 1 : want == 2 ? 1 : want == 3 ? 3 : 3;
            assertEquals(expected, second, "step " + step);
        }
        // an unlabelled window (NaN) comes after every labelled one
        EasyToHardSelector u = new EasyToHardSelector(3, 2, 100);
        for (int k = 0; k < 20; k++) {
            int[] p = u.select(Batches.of(k, new String[] {"noise", "a", "b"}, new double[] {Double.NaN, 4, 1}, new float[3], null),
                    new StepMetrics()).train();
            assertEquals(java.util.Set.of(1, 2), java.util.Set.of(p[0], p[1]));
        }
        EasyToHardSelector r = new EasyToHardSelector(2, 1, 100);
        r.restore(s.save());
        assertEquals(s.save().values(), r.save().values());
    }
}
