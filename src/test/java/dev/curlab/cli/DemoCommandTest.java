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

/** The demo's RL part: a warm start with RESULTS R's recipe, then uniform and dapo from it on the fixed bank, with table, report and verdict. */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theRlPartWarmStartsOnWorkedArithmeticThenComparesTwoCuratorsOverSeedsFromThatPolicyAndEndsWithAVerdict() throws Exception {
        String printed = CompareCommandTest.stdoutOf(() -> {
            try {
                assertEquals(0, DemoCommand.rlPart(tmp, 20, 3, 2, false));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path warm = tmp.resolve("rl-warm/random/seed0");
        JsonNode w = JSON.readTree(warm.resolve("config.json").toFile());
        JsonNode wc = w.has("config") ? w.get("config") : w;
        assertEquals(DemoSettings.WARM_DATA, wc.get("data").asText(), w.toString());
        assertEquals(3e-3, wc.get("lr").asDouble(), 0, w.toString());
        assertEquals(20, wc.get("steps").asLong(), w.toString());
        // every candidate trained: 16 windows a step
        List<Map<String, Object>> lines = RunFiles.metricsWithoutTimes(warm);
        Map<String, Object> last = lines.stream().filter(l -> "step".equals(l.get("kind"))).reduce((a, b) -> b).orElseThrow();
        assertEquals(20L * 16, ((Number) last.get("examples_trained")).longValue());

        assertEquals(List.of("uniform", "dapo"), DemoSettings.RL_CURATORS);
        assertEquals(RlPreset.FIXED_BANK, DemoSettings.RL_TASKS);
        for (String cell : List.of("uniform/seed0", "uniform/seed1", "dapo/seed0", "dapo/seed1")) {
            Path run = tmp.resolve("rl").resolve(cell);
            JsonNode c = JSON.readTree(run.resolve("config.json").toFile());
            String text = c.toString();
            assertTrue(text.contains(warm.toString()), "starts from the warm start: " + text);
            assertTrue(text.contains(DemoSettings.RL_TASKS), text);
            assertEquals(cell.endsWith("1") ? 1 : 0, (c.has("config") ? c.get("config") : c).get("seed").asInt(), text);
            List<Map<String, Object>> m = RunFiles.metricsWithoutTimes(run);
            assertEquals(List.of(0, 3), m.stream().filter(l -> "eval".equals(l.get("kind")))
                    .map(l -> ((Number) l.get("step")).intValue()).toList());
            assertEquals(3, m.stream().filter(l -> "step".equals(l.get("kind"))).count());
        }
        String table = Files.readString(tmp.resolve("rl/table.md"));
        assertTrue(table.contains("| uniform |") && table.contains("| dapo |"), table);
        assertFalse(Files.exists(tmp.resolve("rl/uniform/seed2")), "two seeds asked");
        // the verdict: the same line printed and at the end of the table, read from the ledger paired by seed
        String verdict = DemoCommand.verdict(tmp.resolve("rl"), 2);
        assertTrue(verdict.startsWith("RL verdict (2 seeds): dapo vs uniform at equal rollouts "), verdict);
        var ledgers = dev.curlab.rl.RlLedger.collect(java.util.Map.of(
                "uniform", List.of(tmp.resolve("rl/uniform/seed0"), tmp.resolve("rl/uniform/seed1")),
                "dapo", List.of(tmp.resolve("rl/dapo/seed0"), tmp.resolve("rl/dapo/seed1"))));
        var rollouts = dev.curlab.rl.RlLedger.paired(ledgers.get("dapo"), ledgers.get("uniform"))[1];
        assertEquals(2, rollouts.diffs().length, verdict);
        assertTrue(verdict.contains(dev.curlab.rl.RlVerdict.word(rollouts.interval().lo(), rollouts.interval().hi())), verdict);
        assertTrue(printed.contains(verdict + "\n"), printed);
        assertTrue(table.endsWith("\n" + verdict + "\n"), table);
        assertTrue(Files.size(tmp.resolve("rl/report.html")) > 0);
    }

    @Test
    void aNegativeRlStepCountIsRefusedBeforeAnythingRuns() {
        Path out = tmp.resolve("demo");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("demo", "--rl-steps", "-1", "--out", out.toString())));
        assertTrue(err.contains("--rl-steps must be >= 0 (0 = no RL part), got -1"), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void noSeedIsRefusedBeforeAnythingRuns() {
        Path out = tmp.resolve("demo");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("demo", "--rl-seeds", "0", "--out", out.toString())));
        assertTrue(err.contains("--rl-seeds must be >= 1, got 0"), err);
        assertFalse(Files.exists(out));
    }
}
