package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
