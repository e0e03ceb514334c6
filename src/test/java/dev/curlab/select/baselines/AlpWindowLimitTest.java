package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --alp-window W keeps 2W losses per source: 2W must be an int, or the history silently stays empty. */
class AlpWindowLimitTest {
    private static final int MAX = Integer.MAX_VALUE / 2; // 1,073,741,823

    private static BaselineConfig window(int w) {
        BaselineConfig d = BaselineConfig.DEFAULT;
        return new BaselineConfig(d.lossTemperature(), d.uncertaintyTemperature(), d.competenceC0(), d.competenceSteps(),
                d.competenceDifficulty(), d.ilSteps(), d.ilBatch(), d.ilCache(), d.rhoTemperature(), w, d.alpTemperature(), d.alpEpsilon());
    }

    @Test
    void theLargestWindowStillMeasuresLearningProgress() {
        assertEquals(MAX, window(MAX).alpWindow());
        // |mean(3, 5) - mean(1, 2)| = |4 - 1.5|: the whole short history, split in halves.
        assertEquals(2.5, AlpBanditSelector.alp(List.of(1.0, 2.0, 3.0, 5.0), MAX), 1e-12);
    }

    @Test
    void aWindowWhoseHistoryOverflowsIsRefusedWithTheRange() {
        UserError e = assertThrows(UserError.class, () -> window(MAX + 1));
        assertEquals("--alp-window must be in [1, 1073741823] (2W losses are kept per source), got 1073741824", e.getMessage());
    }
}
