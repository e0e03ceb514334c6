package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RL panels' numbers against hand-computed ones. */
class RlReportTest {

    @Test
    void meanPickParameterWeighsEachBucketByItsPicks() {
        Map<String, Object> step = Map.of("picked_buckets", Map.of("add{digits=2.0}", 3, "chain{length=4.0}", 1, "#7", 2));
        assertEquals((3 * 2.0 + 4.0) / 4, RlReport.meanPickParameter(step), 1e-12); // "#7" (a user problem) has no parameter
        assertTrue(Double.isNaN(RlReport.meanPickParameter(Map.of("picked_buckets", Map.of("#1", 4)))));
    }

    @Test
    void windowsAverageConsecutiveStepsAndTheLastOneMayBeShort() {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int k = 1; k <= 23; k++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", k);
            m.put("v", (double) k);
            steps.add(m);
        }
        double[][] w = RlReport.windowed(steps, m -> ((Number) m.get("v")).doubleValue());
        assertArrayEquals(new double[] {10, 20, 23}, w[0], 0);
        assertArrayEquals(new double[] {5.5, 15.5, 22}, w[1], 1e-12);
        double[][] mean = RlReport.mean(List.of(new double[][] {{1, 2, 3}, {0.2, 0.4, 0.6}}, new double[][] {{1, 2}, {0.4, 0.0}}));
        assertArrayEquals(new double[] {1, 2}, mean[0], 0);
        assertArrayEquals(new double[] {0.3, 0.2}, mean[1], 1e-12);
    }

    private static RlReport.Run run(String curator, long seed, List<Map<String, Object>> steps) {
        return new RlReport.Run(java.nio.file.Path.of(curator + "-seed" + seed), curator, seed, 8, 64, 0, new MetricsFile(steps, List.of()));
    }

    private static Map<String, Object> step(int k, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", k);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Double> ys(InteractiveChart c, int series) {
        return (List<Double>) ((List<Map<String, Object>>) c.toJson().get("series")).get(series).get("y");
    }

    @Test
    void curatorEntropyIsOverItsMaximumForEachCuratorsOwnField() {
        Map<String, List<RlReport.Run>> byCurator = new LinkedHashMap<>();
        // curator: ln 64 / 2 nats over N = 64 candidates -> 0.5; bandit-adv: ln 2 over 4 arms present -> 0.5;
        // soft-q: already normalised; uniform logs nothing and gets no series
        byCurator.put("curator", List.of(run("curator", 0, List.of(step(1, "curator_entropy", Math.log(64) / 2)))));
        byCurator.put("bandit-adv", List.of(run("bandit-adv", 0, List.of(step(1, "bandit_entropy", Math.log(2), "bandit_arms_present", 4)))));
        byCurator.put("soft-q", List.of(run("soft-q", 0, List.of(step(1, "curator_policy_entropy_norm", 0.25))),
                run("soft-q", 1, List.of(step(1, "curator_policy_entropy_norm", 0.75)))));
        byCurator.put("uniform", List.of(run("uniform", 0, List.of(step(1)))));
        InteractiveChart c = RlReport.curatorChart(byCurator, RlReport.ENTROPY);
        assertEquals(3, ((List<?>) c.toJson().get("series")).size());
        assertEquals(0.5, ys(c, 0).get(0), 1e-12);
        assertEquals(0.5, ys(c, 1).get(0), 1e-12);
        assertEquals(0.5, ys(c, 2).get(0), 1e-12);  // the mean of its two seeds
        InteractiveChart spread = RlReport.curatorChart(byCurator, RlReport.SPREAD);
        assertTrue(spread.isEmpty(), "no curator here logs a score spread");
    }

    @Test
    void theAlpMapMarksEachComponentOfTheLastFitAtItsParameterAndAlp() {
        List<Map<String, Object>> steps = List.of(
                step(1, "alpgmm_map", List.of(Map.of("weight", 1.0, "mean", List.of(0.0, 0.1, 0.9)))),
                step(2),
                step(3, "alpgmm_map", List.of(Map.of("weight", 0.6, "mean", List.of(0.5, 0.25, 0.84)),
                        Map.of("weight", 0.4, "mean", List.of(1.0, 0.75, 0.10)))));
        InteractiveChart c = RlReport.alpMapChart(List.of(run("alp-gmm", 2, steps), run("uniform", 0, List.of(step(1)))));
        Map<String, Object> json = c.toJson();
        assertEquals(List.of(0.25, 0.75), json.get("x"));
        assertEquals(java.util.Arrays.asList(0.84, 0.10), ys(c, 0));
        assertEquals("alp-gmm seed 2", ((List<Map<String, Object>>) json.get("series")).get(0).get("label"));
        assertEquals("point", ((List<Map<String, Object>>) json.get("series")).get(0).get("kind"));
    }

    @Test
    void aGridCellIsNamedWithItsCuratorsFolder() {
        assertEquals("uniform/seed0", RlReport.runName(java.nio.file.Path.of("out", "uniform", "seed0")));
        assertEquals("rl-uniform-seed0", RlReport.runName(java.nio.file.Path.of("runs", "rl-uniform-seed0")));
        assertEquals("seed0", RlReport.runName(java.nio.file.Path.of("seed0")));
    }
}
