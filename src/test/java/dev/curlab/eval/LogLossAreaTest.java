package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The area under the eval-loss curve against log examples, on hand-made curves. */
class LogLossAreaTest {
    static final double[] EXAMPLES = {0, 10, 100, 1000};
    static final double[] LOSS = {5, 4, 3, 1};

    @Test
    void wholeCurveIsTheTrapezoidOverDecades() {
        // step 0 (no examples) is left out; two decades: (4 + 3) / 2 and (3 + 1) / 2, averaged: 2.75
        assertEquals(2.75, LogLossArea.normalised(EXAMPLES, LOSS, 10, 1000), 1e-12);
        assertEquals(3.5, LogLossArea.normalised(EXAMPLES, LOSS, 10, 100), 1e-12);
    }

    @Test
    void endpointsInsideASegmentAreInterpolatedInLogExamples() {
        // to 100 * sqrt(10): the loss there is 2 (halfway in log from 3 to 1); area 3.5 + 0.5 * 2.5 over 1.5 decades
        assertEquals(4.75 / 1.5, LogLossArea.normalised(EXAMPLES, LOSS, 10, 100 * Math.sqrt(10)), 1e-12);
        // from sqrt(10) * 10 to 100: loss 3.5 to 3 over half a decade
        assertEquals(3.25, LogLossArea.normalised(EXAMPLES, LOSS, 10 * Math.sqrt(10), 100), 1e-12);
    }

    @Test
    void aRangeOutsideTheCurveHasNoArea() {
        assertTrue(Double.isNaN(LogLossArea.normalised(EXAMPLES, LOSS, 5, 100)));      // before the first eval after step 0
        assertTrue(Double.isNaN(LogLossArea.normalised(EXAMPLES, LOSS, 10, 2000)));    // past the end
        assertTrue(Double.isNaN(LogLossArea.normalised(EXAMPLES, LOSS, 100, 10)));
        assertTrue(Double.isNaN(LogLossArea.normalised(EXAMPLES, new double[] {5, 4, Double.NaN, 1}, 10, 1000)));
    }
}
