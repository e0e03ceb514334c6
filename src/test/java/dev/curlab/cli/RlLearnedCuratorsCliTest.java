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

    @BeforeAll
    static void warmStart() {
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

    /** A real child process killed (SIGKILL) after its step-4 checkpoint, resumed: the metrics of an uninterrupted run. */
    @ParameterizedTest
    @ValueSource(strings = {"alp-gmm?bootstrap=1&fit-every=3&window=16&max-k=3", "bandit-adv?window=2", "curator?width=8", "soft-q"})
    void sigkillThenResumeReproducesTheUninterruptedMetrics(String curator) throws Exception {
        String name = curator.contains("?") ? curator.substring(0, curator.indexOf('?')) : curator;
        Path straight = tmp.resolve(name + "-uninterrupted8");
        Path killed = tmp.resolve(name + "-killed");
        assertEquals(0, Main.run(args(straight, curator, 8).toArray(String[]::new)));
        Process p = ChildCli.start(args(killed, curator, 8), tmp.resolve(name + "-killed.log"));
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
                "--curator must be one of " + dev.curlab.rl.Curators.NAMES + ", got 'bandit'");
    }
}
