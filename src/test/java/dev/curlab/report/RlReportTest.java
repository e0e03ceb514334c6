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
}
