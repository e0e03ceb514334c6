package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlTable;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curlab rl --pass-k} end to end, on one-digit sums a weak warm start gets partly right: the
 * eval lines carry sampled pass@k that agrees with their logged histogram of correct counts, the
 * training (step lines) is exactly the run without pass@k, a resume from a checkpoint reproduces
 * it, the table and report show it, and bad values fail with one line and exit 2.
 */
@SuppressWarnings("unchecked")
class RlCliPassAtKTest {
    static final int STEPS = 4;
    static final int HELDOUT = 8;
    @TempDir
    static Path tmp;
    static Path warm;
    static Path plain;
    static Path withK;

    static List<String> args(Path out, int steps, String... extra) {
        List<String> a = new ArrayList<>(List.of("rl", "--tasks", tmp.resolve("sums.jsonl").toString(), "--init-from", warm.toString(),
                "--curator", "learnability", "--steps", Integer.toString(steps), "-N", "8", "-B", "4", "-G", "4", "--max-new", "1",
                "--heldout", Integer.toString(HELDOUT), "--eval-every", "2", "--checkpoint-every", "2", "--lr", "3e-3",
                "--out", out.toString(), "--no-progress"));
        a.addAll(List.of(extra));
        return a;
    }

    @BeforeAll
    static void warmStartAndTwoRuns() throws Exception {
        warm = tmp.resolve("warm");
        assertEquals(0, Main.run("train", "--data", "builtin:arith-sft", "--steps", "60", "-N", "16", "--select-batch", "16",
                "--eval-every", "60", "--out", warm.toString(), "--no-progress"));
        StringBuilder bank = new StringBuilder();
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                bank.append("{\"prompt\": \"").append(a).append('+').append(b).append("=\", \"answer\": \"").append(a + b).append("\"}\n");
            }
        }
        Files.writeString(tmp.resolve("sums.jsonl"), bank.toString());
        plain = tmp.resolve("plain");
        withK = tmp.resolve("pass-k");
        assertEquals(0, Main.run(args(plain, STEPS).toArray(String[]::new)));
        assertEquals(0, Main.run(args(withK, STEPS, "--pass-k", "2").toArray(String[]::new)));
    }

    static List<Map<String, Object>> kind(List<Map<String, Object>> lines, String kind) {
        return lines.stream().filter(m -> m.get("kind").equals(kind)).toList();
    }

    static long[] counts(Map<String, Object> eval) {
        return ((List<Number>) eval.get("heldout_pass_at_k_correct")).stream().mapToLong(Number::longValue).toArray();
    }

    /** C(a, b) in exact integers (small arguments). */
    static long binomial(int a, int b) {
        if (b < 0 || b > a) {
            return 0;
        }
        long r = 1;
        for (int i = 1; i <= b; i++) {
            r = r * (a - b + i) / i;
        }
        return r;
    }

    @Test
    void evalLinesCarryPassAtKThatAgreesWithTheirCorrectCounts() throws Exception {
        List<Map<String, Object>> evals = kind(RunFiles.metricsWithoutTimes(withK), "eval");
        assertEquals(List.of(0, 2, 4), evals.stream().map(m -> ((Number) m.get("step")).intValue()).toList());
        double some = 0;
        for (Map<String, Object> m : evals) {
            double p = ((Number) m.get("heldout_pass_at_k")).doubleValue();
            assertTrue(p >= 0 && p <= 1, m.toString());
            long[] hist = counts(m);
            assertEquals(3, hist.length, "n = k = 2 samples: counts of 0, 1 or 2 correct");
            assertEquals(HELDOUT, java.util.Arrays.stream(hist).sum(), "every held-out problem is counted once");
            // with k = n, pass@k is the share of problems with at least one correct sample
            assertEquals(1.0 - (double) hist[0] / HELDOUT, p, 1e-12, m.toString());
            // and it is at least the sampled pass@1 (the mean of c/n over problems): one more try can only help
            double passAt1 = (hist[1] * 0.5 + hist[2]) / HELDOUT;
            assertTrue(p >= passAt1, m.toString());
            assertTrue(((Number) m.get("heldout_pass_at_k_flops")).doubleValue() > 0, "the sampling passes are counted: " + m);
            some += p;
        }
        assertTrue(some > 0, "the warm start answers some sums, so the check above is not about zeros only: " + evals);
        Map<?, ?> cfg = (Map<?, ?>) new ObjectMapper().readValue(withK.resolve("config.json").toFile(), Map.class).get("config");
        assertEquals(2, cfg.get("passK"));
        assertEquals(2, cfg.get("passKSamples"), "n defaults to k and is saved resolved");
    }

    @Test
    void passAtKLeavesTheTrainingAndTheGreedyEvaluationAsTheyWere() {
        List<Map<String, Object>> without = RunFiles.metricsWithoutTimes(plain);
        List<Map<String, Object>> with = RunFiles.metricsWithoutTimes(withK);
        assertEquals(kind(without, "step"), kind(with, "step"), "pass@k samples from its own generator, never the training's");
        List<Map<String, Object>> evals = new ArrayList<>();
        for (Map<String, Object> m : kind(with, "eval")) {
            Map<String, Object> c = new LinkedHashMap<>(m);
            c.keySet().removeIf(k -> k.startsWith("heldout_pass_at_k"));
            evals.add(c);
        }
        assertEquals(kind(without, "eval"), evals);
        assertFalse(without.stream().anyMatch(m -> m.keySet().stream().anyMatch(k -> k.contains("pass_at_k"))), "off: no pass@k fields");
    }

    @Test
    void aResumeFromACheckpointReproducesPassAtKWithMoreSamplesThanK() {
        Path whole = tmp.resolve("n3-whole");
        Path split = tmp.resolve("n3-split");
        assertEquals(0, Main.run(args(whole, STEPS, "--pass-k", "2", "--pass-k-samples", "3").toArray(String[]::new)));
        assertEquals(0, Main.run(args(split, 2, "--pass-k", "2", "--pass-k-samples", "3").toArray(String[]::new)));
        assertEquals(0, Main.run("rl", "--resume", split.toString(), "--steps", Integer.toString(STEPS), "--no-progress"));
        List<Map<String, Object>> want = RunFiles.metricsWithoutTimes(whole);
        assertEquals(want, RunFiles.metricsWithoutTimes(split), "the eval sampler's generator is a function of (seed, step)");
        assertEquals(kind(RunFiles.metricsWithoutTimes(plain), "step"), kind(want, "step"));
        for (Map<String, Object> m : kind(want, "eval")) {
            long[] hist = counts(m);
            assertEquals(4, hist.length);
            // 1 - C(n-c, k)/C(n, k) in exact integers, per problem, averaged
            double expected = 0;
            for (int c = 0; c <= 3; c++) {
                expected += hist[c] * (1.0 - (double) binomial(3 - c, 2) / binomial(3, 2));
            }
            assertEquals(expected / HELDOUT, ((Number) m.get("heldout_pass_at_k")).doubleValue(), 1e-12, m.toString());
        }
    }

    @Test
    void theTableAndTheReportShowPassAtKWhenMeasured() throws Exception {
        List<Map<String, Object>> evals = kind(RunFiles.metricsWithoutTimes(withK), "eval");
        double last = ((Number) evals.get(evals.size() - 1).get("heldout_pass_at_k")).doubleValue();
        RlTable.Run r = RlTable.summarise(withK, 0.5);
        assertEquals(2, r.passK());
        assertEquals(last, r.passAtKLast(), 0);
        RlTable.Run off = RlTable.summarise(plain, 0.5);
        assertEquals(0, off.passK());
        String table = RlTable.markdown(Map.of("learnability", List.of(r)), 0.5);
        assertTrue(table.startsWith("| curator | runs | pass@1 start | pass@1 final | pass@1 best | pass@2 final | reached"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "| %.3f |", last)), table);
        assertEquals(table.lines().findFirst().orElseThrow().chars().filter(ch -> ch == '|').count(),
                table.lines().skip(1).findFirst().orElseThrow().chars().filter(ch -> ch == '|').count(), "header and rule agree");
        assertFalse(RlTable.markdown(Map.of("learnability", List.of(off)), 0.5).contains("pass@2"), "no column when not measured");

        assertEquals(0, Main.run("report", withK.toString()));
        String html = Files.readString(withK.resolve("report.html"));
        int at = html.indexOf("id=\"curlab-data\">");
        String data = html.substring(at + "id=\"curlab-data\">".length(), html.indexOf("</script>", at)).replace("<\\/", "</");
        List<Map<String, Object>> charts = (List<Map<String, Object>>) new ObjectMapper().readValue(data, Map.class).get("charts");
        Map<String, Object> chart = charts.get(1);
        assertEquals("Held-out pass@2 (sampled) against rollouts generated", chart.get("title"));
        assertEquals(evals.stream().map(m -> ((Number) m.get("rollouts_generated")).doubleValue()).toList(), chart.get("x"));
        Map<String, Object> series = ((List<Map<String, Object>>) chart.get("series")).get(0);
        assertEquals(evals.stream().map(m -> ((Number) m.get("heldout_pass_at_k")).doubleValue()).toList(), series.get("y"));
    }

    @Test
    void badValuesFailWithOneLineAndExit2() throws Exception {
        Path out = tmp.resolve("bad");
        BadInputTest.assertBad(BadInputTest.run(args(out, STEPS, "--pass-k", "-1").toArray(String[]::new)),
                "--pass-k must be >= 0 (0 = off), got -1");
        BadInputTest.assertBad(BadInputTest.run(args(out, STEPS, "--pass-k", "3", "--pass-k-samples", "2").toArray(String[]::new)),
                "--pass-k-samples (2) must be >= --pass-k (3)");
        BadInputTest.assertBad(BadInputTest.run(args(out, STEPS, "--pass-k-samples", "4").toArray(String[]::new)),
                "--pass-k-samples (4) needs --pass-k >= 1");
        BadInputTest.assertBad(BadInputTest.run(args(out, STEPS, "--pass-k", "2", "--pass-k-samples", "-1").toArray(String[]::new)),
                "--pass-k-samples must be >= 0");
        assertFalse(Files.exists(out), "a failed start writes no run directory");
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", withK.toString(), "--steps", "6", "--pass-k", "3"),
                "--pass-k 3 conflicts with the run's saved --pass-k 2");
    }

    @Test
    void aConfigSavedBeforePassAtKReadsAsOff() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> old = json.convertValue(RlConfig.defaults(), Map.class);
        old.remove("passK");
        old.remove("passKSamples");
        RlConfig read = json.convertValue(old, RlConfig.class);
        assertEquals(0, read.passK());
        assertEquals(0, read.passKSamples());
    }
}
