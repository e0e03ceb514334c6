package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/**
 * Every schedule at chosen steps, by hand: peak lr 1, 10 warm-up steps, 110 steps in all (so 100
 * after warm-up, p = (step - 10) / 100), min-lr-ratio 0.1, and for wsd a decay fraction of 0.2.
 */
class LrScheduleTest {
    static final double EPS = 1e-12;

    static LrSchedule schedule(String kind) {
        return new LrSchedule(kind, 1.0, 10, 110, 0.1, 0.2);
    }

    @Test
    void warmUpIsLinearFromLrOverWarmupToLr() {
        for (String kind : LrSchedule.KINDS) {
            LrSchedule s = schedule(kind);
            assertEquals(0.1, s.at(0), EPS, kind);       // (0 + 1) / 10
            assertEquals(0.5, s.at(4), EPS, kind);       // (4 + 1) / 10
            assertEquals(1.0, s.at(9), EPS, kind);       // end of warm-up
            assertEquals(1.0, s.at(10), EPS, kind);      // p = 0: the peak for every schedule
        }
    }

    @Test
    void constantStaysAtLr() {
        assertEquals(1.0, schedule("constant").at(60), EPS);
        assertEquals(1.0, schedule("constant").at(109), EPS);
    }

    @Test
    void cosineMatchesItsFormula() {
        LrSchedule s = schedule("cosine");
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.sqrt(0.5)), s.at(35), EPS);  // p = 1/4
        assertEquals(0.55, s.at(60), EPS);                                   // p = 1/2: halfway to min
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.99)), s.at(109), EPS); // last step
        assertEquals(0.1, s.at(110), EPS);                                   // p = 1: min
    }

    @Test
    void linearMatchesItsFormula() {
        LrSchedule s = schedule("linear");
        assertEquals(0.775, s.at(35), EPS);   // 0.1 + 0.9 * 3/4
        assertEquals(0.55, s.at(60), EPS);
        assertEquals(0.109, s.at(109), EPS);  // 0.1 + 0.9 * 0.01
        assertEquals(0.1, s.at(110), EPS);
    }

    @Test
    void wsdIsStableThenDecaysOverTheLastFifth() {
        LrSchedule s = schedule("wsd");
        assertEquals(1.0, s.at(60), EPS);     // p = 0.5, stable
        assertEquals(1.0, s.at(89), EPS);     // p = 0.79, still stable
        assertEquals(1.0, s.at(90), EPS);     // p = 0.8, decay starts
        assertEquals(0.55, s.at(100), EPS);   // p = 0.9: halfway through the decay
        assertEquals(0.1, s.at(110), EPS);
    }

    @Test
    void rexMatchesItsFormula() {
        LrSchedule s = schedule("rex");
        assertEquals(0.1 + 0.9 * 0.75 / 0.875, s.at(35), EPS);  // p = 1/4: (1 - p) / (1/2 + (1 - p)/2)
        assertEquals(0.7, s.at(60), EPS);                       // p = 1/2: 0.1 + 0.9 * 2/3
        assertEquals(0.1, s.at(110), EPS);
    }

    @Test
    void withoutWarmUpTheFirstStepIsThePeak() {
        LrSchedule s = new LrSchedule("cosine", 2e-3, 0, 100, 0.0, 0.2);
        assertEquals(2e-3, s.at(0), EPS);
        assertEquals(1e-3, s.at(50), EPS);
        assertEquals(0.0, s.at(100), EPS);
    }

    @Test
    void badSettingsAreOneLineErrorsNamingTheOption() {
        assertEquals("--lr-schedule: unknown schedule 'step' (expected one of constant, cosine, linear, wsd, rex)",
                assertThrows(UserError.class, () -> new LrSchedule("step", 1, 0, 10, 0.1, 0.2)).getMessage());
        assertEquals("--warmup must be between 0 and --steps (10), got 11",
                assertThrows(UserError.class, () -> new LrSchedule("cosine", 1, 11, 10, 0.1, 0.2)).getMessage());
        assertEquals("--min-lr-ratio must be in [0, 1], got 1.5",
                assertThrows(UserError.class, () -> new LrSchedule("cosine", 1, 0, 10, 1.5, 0.2)).getMessage());
        assertEquals("--decay-fraction must be in (0, 1], got 0.0",
                assertThrows(UserError.class, () -> new LrSchedule("wsd", 1, 0, 10, 0.1, 0)).getMessage());
        assertEquals("--lr must be a positive number, got 0.0",
                assertThrows(UserError.class, () -> new LrSchedule("constant", 0, 0, 10, 0.1, 0.2)).getMessage());
    }
}
