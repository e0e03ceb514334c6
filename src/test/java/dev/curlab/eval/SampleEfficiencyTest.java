package dev.curlab.eval;


import dev.curlab.util.Stats;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleEfficiencyTest {
    static final double[] EXAMPLES = {0, 10, 20, 30};

    @Test
    void interpolatesBetweenEvalPoints() {
        double[] loss = {5, 4, 3, 2};
        // 3.5 lies halfway between 4 (10 examples) and 3 (20 examples)
        assertEquals(15.0, SampleEfficiency.examplesToTarget(EXAMPLES, loss, 3.5).getAsDouble(), 1e-12);
        // 2.2 lies 80% of the way from 3 (20) to 2 (30)
        assertEquals(28.0, SampleEfficiency.examplesToTarget(EXAMPLES, loss, 2.2).getAsDouble(), 1e-12);
    }

    @Test
    void hittingAnEvalPointExactlyGivesThatPoint() {
        assertEquals(30.0, SampleEfficiency.examplesToTarget(EXAMPLES, new double[] {5, 4, 3, 2}, 2.0).getAsDouble(), 1e-12);
        assertEquals(0.0, SampleEfficiency.examplesToTarget(EXAMPLES, new double[] {5, 4, 3, 2}, 6.0).getAsDouble(), 1e-12);
    }

    @Test
    void firstCrossingCountsEvenIfTheCurveComesBackUp() {
        double[] loss = {5, 3, 4, 2};
        // (5 - 3.5) / (5 - 3) = 0.75 of the way from 0 to 10 examples
        assertEquals(7.5, SampleEfficiency.examplesToTarget(EXAMPLES, loss, 3.5).getAsDouble(), 1e-12);
        assertEquals(0.75, SampleEfficiency.crossing(loss, 3.5).getAsDouble(), 1e-12);
    }

    @Test
    void neverReachedIsEmptyNotANumber() {
        assertFalse(SampleEfficiency.examplesToTarget(EXAMPLES, new double[] {5, 4, 3, 2}, 1.9).isPresent());
        assertFalse(SampleEfficiency.crossing(new double[] {Double.NaN, 4}, 3).isPresent());
    }

    @Test
    void noInterpolationAcrossANonFinitePoint() {
        double[] loss = {5, Double.NaN, 3, 2};
        // the curve restarts at index 2, so the crossing of 3.5 is the point itself
        assertEquals(2.0, SampleEfficiency.crossing(loss, 3.5).getAsDouble(), 1e-12);
        assertTrue(SampleEfficiency.examplesToTarget(EXAMPLES, loss, 3.5).isPresent());
    }

    @Test
    void meanAndSampleStd() {
        assertEquals(2.5, Stats.mean(new double[] {1, 2, 3, 4}), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3.0), Stats.sampleSd(new double[] {1, 2, 3, 4}), 1e-12);
        assertTrue(Double.isNaN(Stats.sampleSd(new double[] {7})));
    }
}
