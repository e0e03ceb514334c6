package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.cli.Main;
import dev.curlab.train.LrSchedule;
import dev.curlab.train.RunFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two references of the comparison tables as real runs: stratified sampling evens out the
 * sources random picks in the stream's proportions, and a random run under --budget-flops with a
 * cosine schedule decays its learning rate to the last step the budget affords.
 */
class StratifiedCliTest {
    @TempDir
    static Path tmp;

    private static Map<String, Integer> sourceCounts(Path run) {
        Map<String, Integer> n = new TreeMap<>();
        for (Map<String, Object> m : RunFiles.metricsWithoutTimes(run)) {
            if (m.get("kind").equals("step")) {
                n.merge((String) m.get("selected_source"), 1, Integer::sum);
            }
        }
        return n;
    }

    private static int spread(Map<String, Integer> n) {
        return n.values().stream().mapToInt(Integer::intValue).max().orElse(0) - n.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    @Test
    void stratifiedPicksEverySourceAlikeWhereRandomFollowsTheStream() {
        Map<String, Integer>[] counts = new Map[2];
        List<String> selectors = List.of("stratified", "random");
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve(selectors.get(i));
            List<String> a = RunFiles.tinyArgs(out, 40);
            a.addAll(List.of("--selector", selectors.get(i), "-N", "16", "--eval-every", "40", "--model", "pico"));
            assertEquals(0, Main.run(a.toArray(String[]::new)));
            counts[i] = sourceCounts(out);
        }
        assertEquals(counts[1].keySet(), counts[0].keySet(), "both saw the same sources");
        assertTrue(spread(counts[0]) <= 2, "stratified: " + counts[0]);
        assertTrue(spread(counts[1]) > 2 * spread(counts[0]), "random follows the stream's proportions: " + counts[1]);
    }

    @Test
    void aBudgetedRandomRunDecaysItsLearningRateToTheEndOfItsBudget() throws Exception {
        Path out = tmp.resolve("budget");
        List<String> a = RunFiles.tinyArgs(out, 1000);
        a.addAll(List.of("--selector", "random", "--budget-flops", "2e9", "--lr-schedule", "cosine", "--warmup", "2",
                "--model", "pico", "--eval-every", "1000"));
        assertEquals(0, Main.run(a.toArray(String[]::new)));
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        long k = config.at("/resolved/budget_steps").asLong();
        assertTrue(k > 2 && k < 1000, "the budget affords " + k + " steps");
        double lr = config.at("/config/lr").asDouble();
        List<Map<String, Object>> steps = RunFiles.metricsWithoutTimes(out).stream().filter(m -> m.get("kind").equals("step")).toList();
        assertEquals(k, steps.size(), "the run stops where its budget does");
        LrSchedule cosine = new LrSchedule("cosine", lr, 2, k, config.at("/config/minLrRatio").asDouble(), 0.5);
        for (int i = 0; i < k; i++) {
            assertEquals(cosine.at(i), ((Number) steps.get(i).get("lr")).doubleValue(), 1e-12 * lr);
        }
        double last = ((Number) steps.get((int) k - 1).get("lr")).doubleValue();
        assertTrue(last < 0.2 * lr, "decayed by its last step: " + last + " of " + lr);
    }
}
