package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's RL cases on a fresh pico policy: the non-finite guard of {@code rl} (exit 3, as
 * {@code train}'s) and {@code rl-compare} refusing a cell made with other settings instead of
 * tabulating it as the new configuration.
 */
class TrustRlTest {
    @TempDir
    static Path tmp;
    static Path bank;

    /** Problems whose answer is one digit: a fresh byte-level policy gets some right by chance, so some groups carry signal. */
    @BeforeAll
    static void aBank() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("{\"prompt\":\"q").append(i).append("=\",\"answer\":\"").append(i % 10).append("\",\"source\":\"d\"}\n");
        }
        bank = Files.writeString(tmp.resolve("bank.jsonl"), sb);
    }

    static List<String> rl(String command, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(command, "--tasks", bank.toString(), "--model", "pico", "--context", "16",
                "--steps", "2", "-N", "4", "-B", "2", "-G", "2", "--max-new", "1", "--heldout", "4", "--eval-every", "2",
                "--out", out.toString(), "--no-progress"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void aHugeLearningRateStopsTheRunWithExitThree() {
        Path out = tmp.resolve("lr");
        List<String> a = rl("rl", out, "--lr", "1e30", "--verifier", "numeric", "--tolerance", "10", "--curator", "uniform");
        a.set(a.indexOf("--steps") + 1, "6");
        a.set(a.indexOf("-N") + 1, "16");
        a.set(a.indexOf("-B") + 1, "16");
        a.set(a.indexOf("-G") + 1, "8");
        BadInputTest.Outcome o = BadInputTest.run(a.toArray(String[]::new));
        assertEquals(3, o.code(), o.err());
        List<String> errors = o.err().lines().filter(l -> l.startsWith("curlab: error:")).toList();
        assertEquals(1, errors.size(), o.err());
        assertTrue(errors.get(0).contains(": non-finite policy weights (norm after the update) (Infinity); the run stopped"), o.err());
        assertTrue(errors.get(0).contains("lower --lr"), o.err());
    }

    @Test
    void rlCompareRefusesACellMadeWithOtherSettings() throws Exception {
        Path out = tmp.resolve("grid");
        assertEquals(0, Main.run(rl("rl-compare", out, "--curators", "uniform", "--seeds", "1").toArray(String[]::new)));
        String table = Files.readString(out.resolve("table.md"));
        assertBad(BadInputTest.run(rl("rl-compare", out, "--curators", "uniform", "--seeds", "1", "--lr", "0.01").toArray(String[]::new)),
                "rl-compare: " + out.resolve("uniform/seed0") + " holds a run made with other settings (lr 3.0E-4 there, 0.01 now)");
        Path other = Files.writeString(tmp.resolve("other.jsonl"), Files.readString(bank).replace("q", "p"));
        List<String> a = rl("rl-compare", out, "--curators", "uniform", "--seeds", "1");
        a.set(a.indexOf("--tasks") + 1, other.toString());
        assertBad(BadInputTest.run(a.toArray(String[]::new)), "holds a run made with other settings (tasks " + bank);
        assertEquals(table, Files.readString(out.resolve("table.md")), "nothing rewritten");
        assertFalse(Files.exists(out.resolve("uniform/seed0/checkpoints/step-00000003")));
        // the same settings with more steps continue the cell
        List<String> more = rl("rl-compare", out, "--curators", "uniform", "--seeds", "1");
        more.set(more.indexOf("--steps") + 1, "3");
        assertEquals(0, Main.run(more.toArray(String[]::new)));
        assertTrue(Files.isDirectory(out.resolve("uniform/seed0/checkpoints/step-00000003")));
    }

    @Test
    void rlCompareRunsJobsCellsInTheirOwnProcessesWithTheSequentialMetrics() throws Exception {
        Path one = tmp.resolve("jobs1");
        Path two = tmp.resolve("jobs2");
        assertEquals(0, Main.run(rl("rl-compare", one, "--curators", "uniform", "--seeds", "2").toArray(String[]::new)));
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0,
                Main.run(rl("rl-compare", two, "--curators", "uniform", "--seeds", "2", "--jobs", "2").toArray(String[]::new))));
        assertTrue(printed.contains("curlab rl-compare: 2 of 2 runs to do, 2 at a time in their own processes"), printed);
        assertTrue(printed.contains("uniform seed 1: starting in its own process (log " + two.resolve("cells/uniform-seed1.log")), printed);
        for (int k = 0; k < 2; k++) {
            assertEquals(RunFiles.metricsWithoutTimes(one.resolve("uniform/seed" + k)), RunFiles.metricsWithoutTimes(two.resolve("uniform/seed" + k)));
        }
        assertTrue(Files.readString(two.resolve("table.md")).contains("| uniform |"));
        // again: both cells are finished, so none starts
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0,
                Main.run(rl("rl-compare", two, "--curators", "uniform", "--seeds", "2", "--jobs", "2").toArray(String[]::new))));
        assertTrue(printed.contains("curlab rl-compare: 0 of 2 runs to do"), printed);
        assertTrue(printed.contains("rl-compare: " + two.resolve("uniform/seed1") + " is done; reading it"), printed);
    }

    @Test
    void rlCompareRefusesAGridOfTheEarlierLayoutWithOneLine() throws Exception {
        Path out = tmp.resolve("old");
        Files.createDirectories(out.resolve("uniform-seed0"));
        Files.writeString(out.resolve("uniform-seed0/config.json"), "{\"config\":{}}");
        assertBad(BadInputTest.run(rl("rl-compare", out, "--curators", "uniform", "--seeds", "1").toArray(String[]::new)),
                "rl-compare: " + out + " holds cells in the earlier layout (uniform-seed0/); cells now live in uniform/seed0/");
        assertFalse(Files.exists(out.resolve("uniform")), "nothing run");
    }
}
