package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's refusals that need no training: each is one line on stderr, exit 2, and nothing written
 * (unknown command, curator lists and settings, RL memory, bench --json, export into a run, report
 * inputs), plus --version on every command and rl-compare's help without a picocli warning.
 */
class TrustCliTest {
    @TempDir
    Path tmp;

    static BadInputTest.Outcome run(String... args) {
        return BadInputTest.run(args);
    }

    static String stdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Main.run(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownCommandWithHelpIsAnError() {
        assertBad(run("nosuch", "--help"), "unknown command 'nosuch'", "train", "rl-compare");
    }

    @Test
    void versionOnEveryCommand() {
        assertEquals("curlab 0.1.0", stdout("--version").strip());
        assertEquals("curlab 0.1.0", stdout("rl", "--version").strip());
        assertEquals("curlab 0.1.0", stdout("train", "--version").strip());
    }

    @Test
    void rlCompareHelpHasNoPicocliWarning() {
        BadInputTest.Outcome o = run("rl-compare", "--help");
        assertEquals(0, o.code());
        assertFalse(o.err().contains("WARN"), o.err());
        assertTrue(stdout("rl-compare", "--help").contains("80% of the lowest best"));
    }

    @Test
    void rlCompareRefusesDuplicateAndUnknownCuratorsBeforeAnyCellRuns() {
        Path out = tmp.resolve("grid");
        assertBad(run("rl-compare", "--no-progress", "--curators", "uniform,uniform", "--out", out.toString()),
                "--curators names uniform twice");
        assertBad(run("rl-compare", "--curators", "uniform,nosuch", "--steps", "1", "--out", out.toString()),
                "--curator: unknown curator 'nosuch'");
        assertBad(run("rl-compare", "--curators", "uniform,alp-gmm?window=1", "--steps", "1", "--out", out.toString()),
                "window must be an integer >= 8");
        assertFalse(Files.exists(out), "no cell ran");
    }

    @Test
    void curatorSettingsThatACuratorDoesNotTakeAreRefused() {
        Path out = tmp.resolve("rl");
        assertBad(run("rl", "--curator", "soft-q?beta=1", "--out", out.toString()), "soft-q takes no settings, got 'beta'");
        assertBad(run("rl", "--curator", "learnability-history?decay=2", "--out", out.toString()), "learnability-history takes no settings");
        assertBad(run("rl", "--curator", "learnability?decay=2", "--out", out.toString()), "unknown setting 'decay' of learnability");
        assertBad(run("rl", "--curator", "uniform?x=1", "--out", out.toString()), "uniform takes no settings");
        assertBad(run("rl", "--curator", "alp-gmm?window=16&window=32", "--out", out.toString()), "'window' is given twice");
        assertFalse(Files.exists(out));
    }

    @Test
    void rlAndRlCompareRefuseWhatCannotFitInOneLineBeforeWritingAnything() {
        Path out = tmp.resolve("huge");
        assertBad(run("rl", "-G", "1000000", "--out", out.toString()), "this RL run needs about", "-B x -G = 8000000");
        assertBad(run("rl", "--max-new", "1000000000", "--out", out.toString()), "this RL run needs about", "--max-new 1000000000");
        assertBad(run("rl", "-N", "2000000000", "-B", "2", "--out", out.toString()), "this RL run needs about");
        assertBad(run("rl", "--heldout", "2000000000", "--out", out.toString()), "this RL run needs about", "--heldout 2000000000");
        assertBad(run("rl-compare", "-G", "1000000", "--out", out.toString()), "this RL run needs about");
        assertFalse(Files.exists(out));
    }

    @Test
    void benchJsonIntoADirectoryIsRefusedBeforeTheBenchmark() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        assertBad(run("bench", "--steps", "1", "--warmup", "1", "--json", dir.toString()), "--json " + dir + " is a directory");
        assertBad(run("bench", "--steps", "1", "--warmup", "1", "--json", tmp.resolve("no/such/b.json").toString()), "does not exist");
    }

    @Test
    void exportIntoARunDirectoryIsRefusedAndTheRunKept() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run/checkpoints"));
        Path cfg = Files.writeString(run.getParent().resolve("config.json"), "{\"config\":{}}");
        Files.writeString(run.getParent().resolve("metrics.jsonl"), "{}\n");
        assertBad(run("export", "--checkpoint", tmp.resolve("warm").toString(), "--to", "hf", run.getParent().toString(), "--overwrite"),
                "holds a curlab run", "export into another directory");
        assertEquals("{\"config\":{}}", Files.readString(cfg));
    }

    @Test
    void reportOnAnEmptyMetricsFileIsAnError() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(run.resolve("config.json"), "{\"config\":{\"steps\":2}}");
        Files.writeString(run.resolve("metrics.jsonl"), "");
        assertBad(run("report", run.toString()), "metrics.jsonl is empty", "nothing to report");
        assertFalse(Files.exists(run.resolve("report.html")));
    }

    @Test
    void aConfigJsonOfTheWrongTypeNamesNoJavaClass() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("bad/checkpoints/step-00000001"));
        Files.writeString(tmp.resolve("bad/config.json"), "{\"config\":{\"selector\":\"random\",\"lr\":-1}}");
        BadInputTest.Outcome o = run("train", "--resume", tmp.resolve("bad").toString());
        assertBad(o, "config.json is unreadable");
        assertFalse(o.err().contains("dev.curlab"), o.err());
        assertFalse(o.err().contains("Feature"), o.err());
        assertTrue(Files.isDirectory(run));
    }
}
