package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selector;
import dev.curlab.select.StepMetrics;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompetenceSelectorTest {

    @Test
    void competenceMatchesTheSquareRootScheduleByHand() {
        assertEquals(0.01, CompetenceSelector.competence(0, 100, 0.01), 1e-12);            // c(0) = c0
        assertEquals(Math.sqrt(0.50005), CompetenceSelector.competence(50, 100, 0.01), 1e-12); // 0.5 * 0.9999 + 0.0001
        assertEquals(0.5074445782546108, CompetenceSelector.competence(1, 4, 0.1), 1e-12);  // sqrt(0.99 / 4 + 0.01)
        assertEquals(1.0, CompetenceSelector.competence(100, 100, 0.01), 1e-12);           // full competence at T
        assertEquals(1.0, CompetenceSelector.competence(250, 100, 0.01), 1e-12);           // and capped after it
    }

    @Test
    void withNothingAdmittedItTakesTheEasiestCandidate() {
        CompetenceSelector s = new CompetenceSelector(1, 1, 0.01, 100);
        CandidateBatch b = Batches.of(0, null, new double[] {3, 1, 2, 4}, new float[4], null);
        StepMetrics m = new StepMetrics();
        assertArrayEquals(new int[] {1}, s.select(b, m).train());
        assertEquals(0.01, (Double) m.get("competence_c"), 1e-12);
        assertEquals(0, m.get("competence_admitted"));
        assertEquals(0.25, (Double) m.get("selected_percentile"), 1e-12);
        assertEquals(Set.of(Selector.Label.DIFFICULTY), s.requires());
    }

    @Test
    void neverAdmitsAWindowAboveCompetence() {
        // T = 8, c0 = 0.5: c(t) = sqrt(0.75 t / 8 + 0.25), so c(0) = 0.5 and c(8) = 1. Difficulties 1..4
        // in equal numbers give percentiles 1/4, 1/2, 3/4, 1 once the stream has been seen.
        CompetenceSelector s = new CompetenceSelector(3, 2, 0.5, 8);
        double[] levels = {4, 3, 2, 1, 1, 2, 3, 4};
        for (int t = 0; t <= 9; t++) {
            CandidateBatch b = Batches.of(t, null, levels, new float[levels.length], null);
            StepMetrics m = new StepMetrics();
            int[] picks = s.select(b, m).train();
            double c = CompetenceSelector.competence(t, 8, 0.5);
            for (int i : picks) {
                double percentile = levels[i] / 4;
                assertTrue(percentile <= c, "step " + t + ": picked difficulty " + levels[i] + " at c = " + c);
            }
            long admitted = java.util.Arrays.stream(levels).filter(d -> d / 4 <= c).count();
            assertEquals((int) admitted, m.get("competence_admitted"));
        }
    }

    @Test
    void percentileIsTheRunningShareOfLabelsAtMostD() {
        CompetenceSelector s = new CompetenceSelector(1, 1, 0.01, 10);
        s.select(Batches.of(0, null, new double[] {0.2, 0.4, 0.4, 0.9}, new float[4], null), new StepMetrics());
        s.select(Batches.of(1, null, new double[] {0.1, 0.9, 0.9, 0.9}, new float[4], null), new StepMetrics());
        // seen: 0.1, 0.2, 0.4, 0.4, 0.9 x4
        assertEquals(2 / 8.0, s.percentile(0.2), 1e-12);
        assertEquals(4 / 8.0, s.percentile(0.5), 1e-12);
        assertEquals(1.0, s.percentile(0.9), 1e-12);
        CompetenceSelector r = new CompetenceSelector(99, 1, 0.01, 10);
        r.restore(s.save());
        assertEquals(4 / 8.0, r.percentile(0.4), 1e-12);
        CandidateBatch next = Batches.of(5, null, new double[] {0.1, 0.2, 0.4, 0.9}, new float[4], null);
        assertArrayEquals(s.select(next, new StepMetrics()).train(), r.select(next, new StepMetrics()).train());
    }
}
