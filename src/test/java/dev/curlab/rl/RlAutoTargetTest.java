package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rl-compare's automatic target is read off the table's means, so one flat seed cannot pin it to the start. */
class RlAutoTargetTest {
    private static RlTable.Run run(double start, double best) {
        return new RlTable.Run(start, best, best, -1, Double.NaN, 0, 0, 0, 0, 0, Double.NaN);
    }

    @Test
    void oneSeedThatNeverImprovesDoesNotPullTheTargetToTheStart() {
        // RESULTS, bank B: every run starts at 0.120; one of uniform's seeds never beats it. Mean bests:
        // uniform (0.120 + 0.156) / 2 = 0.138, dapo (0.140 + 0.150) / 2 = 0.145. 80% of 0.138 = 0.1104 is
        // below the start, so halfway: 0.120 + (0.138 - 0.120) / 2 = 0.129. The lowest best of a single run
        // (0.120) gave the start itself, reached by every run at 0 rollouts.
        Map<String, List<RlTable.Run>> byCurator = new LinkedHashMap<>();
        byCurator.put("uniform", List.of(run(0.120, 0.120), run(0.120, 0.156)));
        byCurator.put("dapo", List.of(run(0.120, 0.140), run(0.120, 0.150)));
        assertEquals(0.129, RlTable.autoTarget(byCurator), 1e-12);
    }

    @Test
    void eightyPercentOfTheLowestMeanBestWhenThatIsAboveTheHighestMeanStart() {
        Map<String, List<RlTable.Run>> byCurator = new LinkedHashMap<>();
        byCurator.put("uniform", List.of(run(0.02, 0.05), run(0.04, 0.07)));     // start 0.03, best 0.06
        byCurator.put("dapo", List.of(run(0.03, 0.08), run(0.03, 0.10)));        // start 0.03, best 0.09
        assertEquals(0.048, RlTable.autoTarget(byCurator), 1e-12);              // 0.8 x 0.06
    }
}
