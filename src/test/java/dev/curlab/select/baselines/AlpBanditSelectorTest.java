package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.StepMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlpBanditSelectorTest {
    static final String[] SOURCES = {"fast", "slow", "fast", "slow", "noise"};

    /** A step where "fast" loses 0.5 nats per step, "slow" 0.05 and "noise" stays at 5.5. */
    static CandidateBatch step(long t) {
        float fast = 4f - 0.5f * t;
        float slow = 4f - 0.05f * t;
        return Batches.of(t, SOURCES, null, new float[] {fast, slow, fast, slow, 5.5f}, null);
    }

    @Test
    void alpAndPolicyMatchHandComputedValues() {
        // window 2: older half {5, 5}, recent half {4, 3}: |3.5 - 5| = 1.5; the oldest entry drops out.
        assertEquals(1.5, AlpBanditSelector.alp(List.of(9.0, 5.0, 5.0, 4.0, 3.0), 2), 1e-12);
        // three entries: older {6, 4} (mean 5), recent {2}: 3.
        assertEquals(3.0, AlpBanditSelector.alp(List.of(6.0, 4.0, 2.0), 2), 1e-12);
        assertEquals(0.0, AlpBanditSelector.alp(List.of(6.0), 2), 1e-12);
        // softmax([0, 0.1 ln 3] / 0.1) = [1/4, 3/4]; with eps 0.2: 0.8 p + 0.1.
        assertArrayEquals(new double[] {0.3, 0.7},
                AlpBanditSelector.policy(new double[] {0, 0.1 * Math.log(3)}, 0.1, 0.2), 1e-12);
    }

    @Test
    void prefersTheSourceWithLargerLearningProgress() {
        AlpBanditSelector s = new AlpBanditSelector(1, 1, 3, 0.1, 0.1);
        for (int t = 0; t < 6; t++) {
            s.learn(step(t), new StepMetrics());
        }
        // ALP fast = 0.5 * 3 = 1.5, slow = 0.15, noise = 0: p(fast) = 0.9 * ~1 + 0.1 / 3.
        CandidateBatch b = step(6);
        int fast = 0;
        int n = 2000;
        StepMetrics m = new StepMetrics();
        for (int i = 0; i < n; i++) {
            m = new StepMetrics();
            fast += b.window(s.select(b, m).train()[0]).source().equals("fast") ? 1 : 0;
        }
        assertEquals(0.9 + 0.1 / 3, fast / (double) n, 0.03);
        @SuppressWarnings("unchecked")
        Map<String, Object> alp = (Map<String, Object>) m.get("alp");
        assertEquals(1.5, (Double) alp.get("fast"), 1e-5);
        assertEquals(0.15, (Double) alp.get("slow"), 1e-5);
        assertEquals(0.0, (Double) alp.get("noise"), 1e-12);
    }

    @Test
    void absentSourceFallsBackToARandomCandidateAndStateRoundTrips() {
        AlpBanditSelector s = new AlpBanditSelector(2, 1, 3, 0.01, 0);
        for (int t = 0; t < 6; t++) {
            s.learn(step(t), new StepMetrics());
        }
        // "fast" is (almost surely) chosen but this batch has none of it.
        CandidateBatch noFast = Batches.of(6, new String[] {"slow", "noise"}, null, new float[] {1, 1}, null);
        StepMetrics m = new StepMetrics();
        s.select(noFast, m);
        assertEquals("fast", m.get("alp_source"));
        assertEquals(1, m.get("alp_fallbacks"));

        AlpBanditSelector r = new AlpBanditSelector(99, 1, 3, 0.01, 0);
        r.restore(s.save());
        for (int t = 6; t < 12; t++) {
            s.learn(step(t), new StepMetrics());
            r.learn(step(t), new StepMetrics());
            assertArrayEquals(s.select(step(t), new StepMetrics()).train(), r.select(step(t), new StepMetrics()).train());
        }
        assertTrue(s.save().values().equals(r.save().values()));
    }
}
