package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned curators through the real {@code curlab rl}: a run stopped at step 4 and resumed to
 * step 6 writes exactly the metrics of an uninterrupted 6-step run (their state survives the
 * checkpoint: alp-gmm's mixture fitted at step 3 is used after the resume, bandit-adv's windows, the
 * curator's scorer and AdamW moments), the settings are printed into config.json, and the curator's
 * hidden-state pass and scorer are charged to the curator.
 */
class RlLearnedCuratorsCliTest {
    @TempDir
    static Path tmp;
    static Path warm;
    static Path bank;                        // 28 sums: 8 held out, 20 revisited every ~2 steps (per-problem statistics)

    @BeforeAll
    static void warmStart() throws Exception {
        bank = tmp.resolve("sums.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 28; i++) {
            int a = i % 7 + 1;
            int b = i / 7 + 2 + (i % 3) * 10;
            lines.append("{\"prompt\": \"").append(a).append('+').append(b).append("=\", \"answer\": \"").append(a + b).append("\"}\n");
        }
        Files.writeString(bank, lines.toString());
        warm = tmp.resolve("warm");
        assertEquals(0, Main.run("train", "--data", "builtin:arith-sft", "--steps", "40", "-N", "16", "--select-batch", "16",
                "--eval-every", "40", "--out", warm.toString(), "--no-progress"));
    }

    static List<String> args(Path out, String curator, int steps) {
        return new ArrayList<>(List.of("rl", "--tasks", "builtin:arith?families=add,chain", "--init-from", warm.toString(),
                "--curator", curator, "--steps", Integer.toString(steps), "-N", "12", "-B", "4", "-G", "4", "--max-new", "5",
                "--heldout", "8", "--eval-every", "2", "--checkpoint-every", "2", "--lr", "1e-3", "--out", out.toString(),
                "--no-progress"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alp-gmm?bootstrap=1&fit-every=3&window=16&max-k=3", "bandit-adv?window=2", "curator?width=8"})
    void resumeReproducesTheUninterruptedMetrics(String curator) {
        String name = curator.substring(0, curator.indexOf('?'));
        Path straight = tmp.resolve(name + "-straight");
        Path resumed = tmp.resolve(name + "-resumed");
        assertEquals(0, Main.run(args(straight, curator, 6).toArray(String[]::new)));
        assertEquals(0, Main.run(args(resumed, curator, 4).toArray(String[]::new)));
        assertEquals(0, Main.run("rl", "--resume", resumed.toString(), "--steps", "6", "--no-progress"));
        List<Map<String, Object>> m = RunFiles.metricsWithoutTimes(straight);
        assertEquals(m, RunFiles.metricsWithoutTimes(resumed));
        if (name.equals("alp-gmm")) {
            assertTrue(m.stream().anyMatch(x -> x.containsKey("alpgmm_map")), "a mixture was fitted: " + m);
        }
    }

    /** The same run on the revisited .jsonl bank (the field's curators keep per-problem statistics). */
    static List<String> bankArgs(Path out, String curator, int steps) {
        List<String> a = args(out, curator, steps);
        a.set(a.indexOf("--tasks") + 1, bank.toString());
        return a;
    }

    /** A real child process killed (SIGKILL) after its step-4 checkpoint, resumed: the metrics of an uninterrupted run. */
    @ParameterizedTest
    @ValueSource(strings = {"alp-gmm?bootstrap=1&fit-every=3&window=16&max-k=3", "bandit-adv?window=2", "curator?width=8", "soft-q",
        "bank:mopps", "bank:greso?explore=0.3", "bank:dapo?max-gen-batches=3", "bank:band?lo=0.25&hi=0.75",
        "bank:learnability?probes=2", "bank:learnability-history", "bank:curator?width=8&reward=improvement"})
    void sigkillThenResumeReproducesTheUninterruptedMetrics(String spec) throws Exception {
        boolean onBank = spec.startsWith("bank:");
        String curator = onBank ? spec.substring(5) : spec;
        String name = (curator.contains("?") ? curator.substring(0, curator.indexOf('?')) : curator) + (onBank ? "-bank" : "");
        java.util.function.BiFunction<Path, Integer, List<String>> argsOf = (out, steps) -> onBank ? bankArgs(out, curator, steps)
                : args(out, curator, steps);
        Path straight = tmp.resolve(name + "-uninterrupted8");
        Path killed = tmp.resolve(name + "-killed");
        assertEquals(0, Main.run(argsOf.apply(straight, 8).toArray(String[]::new)));
        Process p = ChildCli.start(argsOf.apply(killed, 8), tmp.resolve(name + "-killed.log"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
        while (!Files.isDirectory(killed.resolve("checkpoints/step-00000004"))) {
            assertTrue(p.isAlive(), "child ended early: " + Files.readString(tmp.resolve(name + "-killed.log")));
            assertTrue(System.nanoTime() < deadline, "child too slow");
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        long written = Files.readAllLines(killed.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"kind\":\"step\"")).count();
        assertTrue(written < 8, "killed mid-run, after " + written + " steps");
        assertEquals(0, Main.run("rl", "--resume", killed.toString(), "--no-progress"));
        assertEquals(RunFiles.metricsWithoutTimes(straight), RunFiles.metricsWithoutTimes(killed));
        String config = Files.readString(killed.resolve("config.json"));
        String settingsShown = switch (name) {
            case "mopps-bank" -> "\"decay\"";
            case "greso-bank" -> "\"min-explore\"";
            case "dapo-bank", "band-bank" -> "\"max-gen-batches\"";
            case "learnability-bank" -> "\"probes\"";
            default -> "";
        };
        assertTrue(config.contains(settingsShown), "settings printed into config.json: " + config);
    }

    /**
     * The ledger on the revisited bank: learnability's probes (N x probes a step) are counted apart and in
     * the rollouts generated; dapo generates in rounds of B and trains only on groups with variance;
     * band trains only on groups whose pass rate is in its band; the reward is logged before filtering.
     */
    @Test
    void theLedgerChargesProbesAndFilteredRollouts() throws Exception {
        Path lilo = tmp.resolve("ledger-lilo");
        assertEquals(0, Main.run(bankArgs(lilo, "learnability?probes=2", 3).toArray(String[]::new)));
        List<Map<String, Object>> steps = stepLines(lilo);
        for (int k = 0; k < 3; k++) {
            Map<String, Object> m = steps.get(k);
            assertEquals(12L * 2 * (k + 1), num(m, "rollouts_probe"), m.toString());
            assertEquals(4L * 4 * (k + 1), num(m, "rollouts"), m.toString());
            assertEquals(num(m, "rollouts") + num(m, "rollouts_probe"), num(m, "rollouts_generated"));
            assertTrue(((Number) m.get("flops_probes")).doubleValue() > 0);
        }
        Path dapo = tmp.resolve("ledger-dapo");
        assertEquals(0, Main.run(bankArgs(dapo, "dapo?max-gen-batches=3", 4).toArray(String[]::new)));
        long rollouts = 0;
        long trained = 0;
        for (Map<String, Object> m : stepLines(dapo)) {
            long rounds = num(m, "gen_rounds");
            assertTrue(rounds >= 1 && rounds <= 3, m.toString());
            assertEquals(4 * rounds, num(m, "groups_generated"), m.toString());
            rollouts += 4 * 4 * rounds;
            assertEquals(rollouts, num(m, "rollouts"), m.toString());
            long groupsTrained = num(m, "groups_trained");
            assertTrue(groupsTrained <= 4, m.toString());
            assertTrue(rounds == 3 || groupsTrained == 4, "rounds stop once B groups with variance are kept: " + m);
            trained += 4 * groupsTrained;
            assertEquals(trained, num(m, "rollouts_trained"), m.toString());
            double zero = ((Number) m.get("frac_reward_zero_std")).doubleValue();
            assertEquals(zero * num(m, "groups_generated"), num(m, "zero_variance_groups"), 1e-9, "before filtering");
        }
        Path band = tmp.resolve("ledger-band");
        assertEquals(0, Main.run(bankArgs(band, "band?lo=0.5&hi=0.5", 4).toArray(String[]::new)));
        for (Map<String, Object> m : stepLines(band)) {
            assertTrue(num(m, "groups_trained") <= 4 - num(m, "zero_variance_groups"), m.toString());
            if (num(m, "groups_trained") > 0) {
                assertEquals(0.5, ((Number) m.get("reward_mean_trained")).doubleValue(), 1e-12, "only groups of 2 of 4 right: " + m);
            }
        }
    }

    static List<Map<String, Object>> stepLines(Path run) {
        return RunFiles.metricsWithoutTimes(run).stream().filter(x -> x.get("kind").equals("step")).toList();
    }

    static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void settingsArePrintedAndTheCuratorsPassesAreCharged() throws Exception {
        Path out = tmp.resolve("charged");
        assertEquals(0, Main.run(args(out, "curator", 2).toArray(String[]::new)));
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(config.contains("\"baseline-decay\"") && config.contains("\"features\""), config);
        Map<String, Object> first = RunFiles.metricsWithoutTimes(out).stream().filter(x -> x.get("kind").equals("step")).findFirst().orElseThrow();
        assertTrue(((Number) first.get("flops_curator")).doubleValue() > 0, first.toString());
        assertTrue(first.containsKey("curator_entropy"), first.toString());
        double entropy = ((Number) first.get("curator_entropy")).doubleValue();
        assertEquals(Math.log(12), entropy, 1e-6, "the scorer's output layer starts at zero: a uniform first distribution");
    }

    @Test
    void aBadCuratorSettingFailsWithOneLine() {
        BadInputTest.assertBad(BadInputTest.run(args(tmp.resolve("bad"), "alp-gmm?window=0", 2).toArray(String[]::new)),
                "--curator alp-gmm?window=0: window must be an integer >= 8, got '0'");
        BadInputTest.assertBad(BadInputTest.run(args(tmp.resolve("bad"), "bandit", 2).toArray(String[]::new)),
                "--curator: unknown curator 'bandit' (expected one of " + dev.curlab.rl.Curators.NAMES + ")");
    }
}
