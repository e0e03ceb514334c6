package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.report.tensorboard.EventDecoder;
import dev.curlab.train.RunFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curlab rl} end to end: a warm start by {@code curlab train --data builtin:arith-sft}, a tiny
 * RL run from that run directory, its metrics' bookkeeping, an exact resume after SIGKILL of a real
 * child process, and bad options and banks failing with one line and exit 2.
 */
@SuppressWarnings("unchecked")
class RlCliTest {
    static final int STEPS = 10;
    @TempDir
    static Path tmp;
    static Path warm;
    static List<Map<String, Object>> reference;
    static List<String> referenceEvents;

    static List<String> rlArgs(Path out, String curator) {
        return new ArrayList<>(List.of("rl", "--tasks", "builtin:arith?families=add,chain", "--init-from", warm.toString(),
                "--curator", curator, "--steps", Integer.toString(STEPS), "-N", "16", "-B", "4", "-G", "4", "--max-new", "6",
                "--heldout", "16", "--eval-every", "5", "--checkpoint-every", "2", "--lr", "1e-3", "--out", out.toString(),
                "--no-progress"));
    }

    @BeforeAll
    static void warmStartAndReference() {
        warm = tmp.resolve("warm");
        assertEquals(0, Main.run("train", "--data", "builtin:arith-sft", "--steps", "60", "-N", "16", "--select-batch", "16",
                "--eval-every", "60", "--out", warm.toString(), "--no-progress"));
        Path ref = tmp.resolve("reference");
        assertEquals(0, Main.run(rlArgs(ref, "learnability").toArray(String[]::new)));
        reference = RunFiles.metricsWithoutTimes(ref);
        try {
            referenceEvents = EventDecoder.runScalarsWithoutTimes(ref);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTensorBoardEventsCarryTheRlCurvesUnderTheirTags() {
        List<String> pass = referenceEvents.stream().filter(l -> l.contains(" rl/pass_at_1 ")).toList();
        assertEquals(List.of(0, 5, 10), pass.stream().map(l -> Integer.parseInt(l.split(" ")[0])).toList());
        for (Map<String, Object> m : reference) {
            if (m.get("kind").equals("step")) {
                String want = m.get("step") + " rl/frac_reward_zero_std " + ((Number) m.get("zero_variance_share")).floatValue();
                assertTrue(referenceEvents.contains(want), want + " in " + referenceEvents);
            }
        }
    }

    @Test
    void metricsCountRolloutsProblemsAndZeroVarianceGroups() {
        List<Map<String, Object>> steps = reference.stream().filter(m -> m.get("kind").equals("step")).toList();
        List<Map<String, Object>> evals = reference.stream().filter(m -> m.get("kind").equals("eval")).toList();
        assertEquals(STEPS, steps.size());
        assertEquals(List.of(0, 5, 10), evals.stream().map(m -> ((Number) m.get("step")).intValue()).toList());
        long zero = 0;
        for (int k = 1; k <= STEPS; k++) {
            Map<String, Object> m = steps.get(k - 1);
            assertEquals(16L * k, ((Number) m.get("rollouts")).longValue());
            assertEquals(4L * k, ((Number) m.get("problems_used")).longValue());
            zero += ((Number) m.get("zero_variance_groups")).longValue();
            assertEquals((double) zero / (4 * k), ((Number) m.get("zero_variance_share")).doubleValue(), 1e-12);
            double grad = ((Number) m.get("grad_norm")).doubleValue();
            assertEquals(((Number) m.get("zero_variance_groups")).intValue() == 4, grad == 0, "no update exactly when every group is flat: " + m);
            assertTrue(((Number) m.get("flops_sampling")).doubleValue() > 0);
        }
    }

    @Test
    void sigkillThenResumeReproducesTheUninterruptedMetrics() throws Exception {
        Path out = tmp.resolve("killed");
        Process p = ChildCli.start(rlArgs(out, "learnability"), tmp.resolve("killed.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.isDirectory(out.resolve("checkpoints/step-00000004"))) {
            assertTrue(p.isAlive(), "child ended early: " + Files.readString(tmp.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "child too slow");
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        long written = Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"kind\":\"step\"")).count();
        assertTrue(written < STEPS, "killed mid-run, after " + written + " steps");
        assertEquals(0, Main.run("rl", "--resume", out.toString(), "--no-progress"));
        assertEquals(reference, RunFiles.metricsWithoutTimes(out));
        assertEquals(referenceEvents, EventDecoder.runScalarsWithoutTimes(out), "TensorBoard events: each step once, as uninterrupted");
    }

    /** One-digit sums answered in one token: a weak warm start gets some right, so groups carry signal and the policy moves. */
    static List<String> klArgs(Path out, int steps) throws Exception {
        StringBuilder bank = new StringBuilder();
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                bank.append("{\"prompt\": \"").append(a).append('+').append(b).append("=\", \"answer\": \"").append(a + b).append("\"}\n");
            }
        }
        Path file = tmp.resolve("sums.jsonl");
        Files.writeString(file, bank.toString());
        return new ArrayList<>(List.of("rl", "--tasks", file.toString(), "--init-from", warm.toString(), "--curator", "uniform",
                "--steps", Integer.toString(steps), "-N", "8", "-B", "4", "-G", "4", "--max-new", "1", "--heldout", "5",
                "--eval-every", "5", "--checkpoint-every", "2", "--lr", "3e-3", "--kl-coef", "0.5", "--out", out.toString(),
                "--no-progress"));
    }

    @Test
    void theKlPenaltyIsLoggedAndItsReferenceSurvivesAResume() throws Exception {
        Path whole = tmp.resolve("kl-whole");
        assertEquals(0, Main.run(klArgs(whole, STEPS).toArray(String[]::new)));
        List<Map<String, Object>> want = RunFiles.metricsWithoutTimes(whole);
        double last = 0;
        for (Map<String, Object> m : want) {
            if (m.get("kind").equals("step")) {
                double kl = ((Number) m.get("kl")).doubleValue();
                assertTrue(kl >= 0, m.toString());
                last = ((Number) m.get("grad_norm")).doubleValue() > 0 ? kl : last;
            }
        }
        assertTrue(last > 0, "the policy has moved from its start by the last update, so its KL is above 0: " + want);
        Path split = tmp.resolve("kl-split");
        assertEquals(0, Main.run(klArgs(split, 4).toArray(String[]::new)));
        // the reference is the starting policy read from the checkpoint, not the resumed (moved) policy
        assertEquals(0, Main.run("rl", "--resume", split.toString(), "--steps", Integer.toString(STEPS), "--no-progress"));
        // the split run also evaluated at its end, step 4, so its step lines' latest accuracy differs there; all else agrees
        assertEquals(steps(want), steps(RunFiles.metricsWithoutTimes(split)));
    }

    private static List<Map<String, Object>> steps(List<Map<String, Object>> lines) {
        return lines.stream().filter(m -> m.get("kind").equals("step")).map(m -> {
            Map<String, Object> c = new java.util.LinkedHashMap<>(m);
            c.remove("heldout_accuracy");
            return c;
        }).toList();
    }

    @Test
    void theOracleChargesItsProbes() {
        Path out = tmp.resolve("oracle");
        List<String> a = rlArgs(out, "difficulty-oracle");
        a.set(a.indexOf("--steps") + 1, "2");
        a.addAll(List.of("--probe-every", "2", "--probe-problems", "1", "--probe-rollouts", "2"));
        assertEquals(0, Main.run(a.toArray(String[]::new)));
        List<Map<String, Object>> m = RunFiles.metricsWithoutTimes(out);
        Map<String, Object> first = m.stream().filter(x -> x.get("kind").equals("step")).findFirst().orElseThrow();
        assertTrue(((Number) first.get("flops_probes")).doubleValue() > 0, first.toString());
        assertEquals(11L * 1 * 2, ((Number) first.get("rollouts_probe")).longValue(), "11 buckets x 1 problem x 2 rollouts: " + first);
        assertTrue(first.containsKey("oracle_probe_p"), first.toString());
    }

    @Test
    void softQChargesItsPassesAndAResumeContinuesItsMetricsBitForBit() {
        Path whole = tmp.resolve("softq-whole");
        List<String> a = rlArgs(whole, "soft-q");
        a.set(a.indexOf("--steps") + 1, "4");
        a.set(a.indexOf("--eval-every") + 1, "2");                  // the split run's end (step 2) is an eval step too
        assertEquals(0, Main.run(a.toArray(String[]::new)));
        List<Map<String, Object>> ref = RunFiles.metricsWithoutTimes(whole);
        List<Map<String, Object>> steps = ref.stream().filter(m -> m.get("kind").equals("step")).toList();
        assertEquals(4, steps.size());
        double prev = 0;
        for (Map<String, Object> m : steps) {
            double charged = ((Number) m.get("flops_curator")).doubleValue();
            assertTrue(charged > prev, "every step's hidden-state and answer passes are charged: " + m);
            prev = charged;
            assertTrue(m.containsKey("curator_reward") && m.containsKey("curator_policy_entropy_norm"), m.toString());
        }
        assertTrue(steps.get(3).containsKey("curator_td_target"), "TD updates from the second step on: " + steps.get(3));
        Path split = tmp.resolve("softq-split");
        List<String> b = rlArgs(split, "soft-q");
        b.set(b.indexOf("--steps") + 1, "2");
        b.set(b.indexOf("--eval-every") + 1, "2");
        assertEquals(0, Main.run(b.toArray(String[]::new)));
        assertEquals(0, Main.run("rl", "--resume", split.toString(), "--steps", "4", "--no-progress"));
        assertEquals(ref, RunFiles.metricsWithoutTimes(split));
    }

    @Test
    void rlCompareRunsEachCellOnceAndTabulatesFromTheMetrics() throws Exception {
        Path out = tmp.resolve("cmp");
        String[] a = {"rl-compare", "--tasks", "builtin:arith?families=add,chain", "--init-from", warm.toString(), "--curators",
                "uniform,learnability", "--seeds", "1", "--steps", "2", "-N", "8", "-B", "2", "-G", "2", "--max-new", "4",
                "--heldout", "8", "--eval-every", "1", "--target", "0.5", "--out", out.toString()};
        assertEquals(0, Main.run(a));
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("| uniform | 1 |") && table.contains("| learnability | 1 |"), table);
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("\"label\":\"uniform (1 run)\"") && report.contains("\"label\":\"learnability (1 run)\""), "one series per curator");
        long before = Files.size(out.resolve("uniform/seed0/metrics.jsonl"));
        assertEquals(0, Main.run(a)); // finished cells are read, not run again
        assertEquals(before, Files.size(out.resolve("uniform/seed0/metrics.jsonl")));
        dev.curlab.rl.RlTable.Run r = dev.curlab.rl.RlTable.summarise(out.resolve("uniform/seed0"), 0.0);
        assertEquals(0, r.rolloutsToTarget()); // target 0 is reached at the first evaluation, before any rollout
        assertEquals(2 * 2 * 2, r.rollouts());
    }

    @Test
    void badOptionsAndBanksFailWithOneLineAndExit2() throws Exception {
        Path out = tmp.resolve("bad");
        List<String> a = rlArgs(out, "learnability");
        a.set(a.indexOf("-B") + 1, "32");
        BadInputTest.Outcome o = BadInputTest.run(a.toArray(String[]::new));
        BadInputTest.assertBad(o, "--batch (32) must be <= --candidates (16)");
        Path bank = tmp.resolve("bank.jsonl");
        Files.writeString(bank, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": 3, \"answer\": \"2\"}\n");
        a = rlArgs(out, "learnability");
        a.set(a.indexOf("--tasks") + 1, bank.toString());
        BadInputTest.assertBad(BadInputTest.run(a.toArray(String[]::new)), "file " + bank + " line 2: field \"prompt\" must be a string");
        a = rlArgs(out, "difficulty-oracle");
        a.set(a.indexOf("--tasks") + 1, bank.toString());
        StringBuilder distinct = new StringBuilder();                    // 40 distinct problems (duplicates are dropped)
        for (int i = 0; i < 40; i++) {
            distinct.append("{\"prompt\": \"").append(i).append("+1=\", \"answer\": \"").append(i + 1).append("\"}\n");
        }
        Files.writeString(bank, distinct);
        BadInputTest.assertBad(BadInputTest.run(a.toArray(String[]::new)), "--curator difficulty-oracle reads the generator's labels");
        a = rlArgs(out, "softq");
        BadInputTest.assertBad(BadInputTest.run(a.toArray(String[]::new)), "--curator: unknown curator 'softq' (expected one of uniform, dapo, band, learnability, learnability-history, mopps, greso, difficulty-oracle");
        assertFalse(Files.exists(out), "a failed start writes no run directory");
    }

    @Test
    void resumeRefusesConflictingOptionsAndTouchesNothing() throws Exception {
        Path done = tmp.resolve("reference");
        Map<String, String> before = BadInputTest.snapshot(done);
        String at = " (" + done.resolve("config.json") + "); a resumed run keeps its settings, only --steps may grow";
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", done.toString(), "--steps", "12", "--lr", "3e-4"),
                "--lr 3.0E-4 conflicts with the run's saved --lr 0.001" + at);
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", done.toString(), "--curator", "learnability", "-G", "8"),
                "--group 8 conflicts with the run's saved --group 4" + at);
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", done.toString(), "--kl-coef", "0.1"),
                "--kl-coef 0.1 conflicts with the run's saved --kl-coef 0.0");
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", done.toString(), "--out", tmp.resolve("elsewhere").toString()),
                "--out cannot be combined with --resume: a resumed run stays in its directory " + done);
        assertEquals(before, BadInputTest.snapshot(done));
        // options equal to the saved ones pass the check (and only then does the finished run refuse too few --steps)
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", done.toString(), "--curator", "learnability", "--lr", "1e-3",
                "-G", "4", "--no-progress"), "--steps 10: the run in " + done + " has already done 10 steps; give more to continue it");
    }

    @Test
    void resumeRefusesACheckpointOfAnotherShapeSayingWhatDiffers() throws Exception {
        Path micro = tmp.resolve("micro");
        assertEquals(0, Main.run("rl", "--tasks", "builtin:arith?families=add", "--model", "micro", "--curator", "learnability", "--steps", "1", "-N", "4", "-B", "2",
                "-G", "2", "--max-new", "2", "--heldout", "2", "--out", micro.toString(), "--no-progress"));
        Path nano = tmp.resolve("nano-copy");
        copy(tmp.resolve("reference"), nano);
        Path foreign = nano.resolve("checkpoints/step-00000099");
        copy(micro.resolve("checkpoints/step-00000001"), foreign);
        BadInputTest.assertBad(BadInputTest.run("rl", "--resume", nano.toString(), "--steps", "120"),
                "checkpoint " + foreign + " holds another policy than this run's (" + nano.resolve("config.json") + "): layers 4 in the"
                        + " checkpoint, 2 expected; d_model 128 in the checkpoint, 64 expected; heads 4 in the checkpoint, 2 expected");
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else if (!p.getFileName().toString().equals("lock")) {
                    Files.copy(p, q);
                }
            }
        }
    }

    @Test
    void reportRebuildsTheRlPanelsFromTheRunFiles() throws Exception {
        Path run = tmp.resolve("reference");
        assertEquals(0, Main.run("report", run.toString()));
        String html = Files.readString(run.resolve("report.html"));
        int at = html.indexOf("id=\"curlab-data\">");
        String data = html.substring(at + "id=\"curlab-data\">".length(), html.indexOf("</script>", at)).replace("<\\/", "</");
        List<Map<String, Object>> charts = (List<Map<String, Object>>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(data, Map.class).get("charts");
        assertEquals(List.of("Held-out pass@1 against rollouts generated", "Share of zero-variance groups over steps",
                "Difficulty of the picked problems over steps"), charts.stream().map(c -> c.get("title")).toList());
        List<Map<String, Object>> lines = RunFiles.metricsWithoutTimes(run);
        List<Double> rollouts = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        double zero = 0;
        double param = 0;
        double picks = 0;
        for (Map<String, Object> m : lines) {
            if (m.get("kind").equals("eval")) {
                rollouts.add(((Number) m.get("rollouts_generated")).doubleValue());
                acc.add(((Number) m.get("heldout_accuracy")).doubleValue());
            } else {
                zero += ((Number) m.get("zero_variance_groups")).doubleValue() / 4 / STEPS; // B = 4, one window of 10 steps
                double sum = 0;
                double n = 0;
                for (Map.Entry<String, Object> b : ((Map<String, Object>) m.get("picked_buckets")).entrySet()) {
                    String key = b.getKey();
                    double v = Double.parseDouble(key.substring(key.indexOf('=') + 1, key.indexOf('}')));
                    sum += v * ((Number) b.getValue()).doubleValue();
                    n += ((Number) b.getValue()).doubleValue();
                }
                param += sum / n / STEPS;
            }
        }
        assertEquals(rollouts, charts.get(0).get("x"));
        Map<String, Object> series = ((List<Map<String, Object>>) charts.get(0).get("series")).get(0);
        assertEquals("learnability (1 run)", series.get("label"));
        assertEquals(acc, series.get("y"));
        assertEquals(List.of((double) STEPS), charts.get(1).get("x"));
        assertEquals(zero, ((List<Number>) ((List<Map<String, Object>>) charts.get(1).get("series")).get(0).get("y")).get(0).doubleValue(), 1e-12);
        assertEquals(param, ((List<Number>) ((List<Map<String, Object>>) charts.get(2).get("series")).get(0).get("y")).get(0).doubleValue(), 1e-12);
    }
}
