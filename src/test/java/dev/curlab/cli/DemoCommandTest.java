package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's RL part: a warm start with RESULTS R's recipe, then uniform and learnability from it, with table and report. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theRlPartWarmStartsOnWorkedArithmeticThenComparesTwoCuratorsFromThatPolicy() throws Exception {
        assertEquals(0, DemoCommand.rlPart(tmp, 20, 3, false));
        Path warm = tmp.resolve("rl-warm/random/seed0");
        JsonNode w = JSON.readTree(warm.resolve("config.json").toFile());
        JsonNode wc = w.has("config") ? w.get("config") : w;
        assertEquals(DemoCommand.WARM_DATA, wc.get("data").asText(), w.toString());
        assertEquals(3e-3, wc.get("lr").asDouble(), 0, w.toString());
        assertEquals(20, wc.get("steps").asLong(), w.toString());
        // every candidate trained: 16 windows a step
        List<Map<String, Object>> lines = RunFiles.metricsWithoutTimes(warm);
        Map<String, Object> last = lines.stream().filter(l -> "step".equals(l.get("kind"))).reduce((a, b) -> b).orElseThrow();
        assertEquals(20L * 16, ((Number) last.get("examples_trained")).longValue());

        for (String curator : DemoCommand.RL_CURATORS) {
            Path run = tmp.resolve("rl").resolve(curator + "-seed0");
            JsonNode c = JSON.readTree(run.resolve("config.json").toFile());
            String text = c.toString();
            assertTrue(text.contains(warm.toString()), "starts from the warm start: " + text);
            assertTrue(text.contains(DemoCommand.RL_TASKS), text);
            List<Map<String, Object>> m = RunFiles.metricsWithoutTimes(run);
            assertEquals(List.of(0, 3), m.stream().filter(l -> "eval".equals(l.get("kind")))
                    .map(l -> ((Number) l.get("step")).intValue()).toList());
            assertEquals(3, m.stream().filter(l -> "step".equals(l.get("kind"))).count());
        }
        String table = Files.readString(tmp.resolve("rl/table.md"));
        assertTrue(table.contains("| uniform |") && table.contains("| learnability-history |"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "reached %.3f", DemoCommand.RL_TARGET)), "the demo's target: " + table);
        assertTrue(Files.size(tmp.resolve("rl/report.html")) > 0);
    }

    @Test
    void aNegativeRlStepCountIsRefusedBeforeAnythingRuns() {
        Path out = tmp.resolve("demo");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("demo", "--rl-steps", "-1", "--out", out.toString())));
        assertTrue(err.contains("--rl-steps must be >= 0 (0 = no RL part), got -1"), err);
        assertFalse(Files.exists(out));
    }
}
