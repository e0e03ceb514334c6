package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.UserError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleMixtureSelectorTest {
    static final Map<String, Double> TARGET = Map.of("arithmetic", 0.8, "grammar", 0.2);

    @Test
    void neverPicksNoiseWhileATargetSourceIsPresent() {
        OracleMixtureSelector s = new OracleMixtureSelector(1, 1, TARGET);
        CandidateBatch b = Batches.ofSources(0, "noise", "noise", "duplicates", "grammar", "noise");
        for (int i = 0; i < 500; i++) {
            assertArrayEquals(new int[] {3}, s.select(b, new StepMetrics()).train());
        }
        // B = 3 of a batch with two target windows: both of them, then one fallback.
        OracleMixtureSelector three = new OracleMixtureSelector(2, 3, TARGET);
        CandidateBatch c = Batches.ofSources(0, "noise", "arithmetic", "noise", "grammar");
        StepMetrics m = new StepMetrics();
        int[] picks = three.select(c, m).train();
        assertEquals(java.util.Set.of(1, 3), java.util.Set.of(picks[0], picks[1]));
        assertNotEquals("arithmetic", c.window(picks[2]).source());
        assertEquals(1, m.get("oracle_fallbacks"));
    }

    @Test
    void drawsSourcesInTheTargetProportions() {
        OracleMixtureSelector s = new OracleMixtureSelector(3, 1, TARGET);
        CandidateBatch b = Batches.ofSources(0, "grammar", "arithmetic", "noise", "arithmetic", "grammar");
        int arithmetic = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            arithmetic += b.window(s.select(b, new StepMetrics()).train()[0]).source().equals("arithmetic") ? 1 : 0;
        }
        assertEquals(0.8, arithmetic / (double) n, 0.03);
    }

    @Test
    void allNoiseFallsBackToAnyCandidateAndNoTargetIsAnError() {
        OracleMixtureSelector s = new OracleMixtureSelector(4, 1, TARGET);
        StepMetrics m = new StepMetrics();
        s.select(Batches.ofSources(0, "noise", "noise"), m);
        assertEquals(1, m.get("oracle_fallbacks"));
        UserError e = assertThrows(UserError.class, () -> new OracleMixtureSelector(1, 1, Map.of()));
        assertEquals("--selector oracle-mixture needs 'source' labels on the held-out data (--heldout) to know the"
                + " target distribution, but it has none", e.getMessage());
    }
}
