package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import dev.curlab.util.Directories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's ways to lose work and report's refusals, on a real tiny run: metrics cut short before a
 * resume, files a user left in a run that --overwrite or a demo rerun replaces, a run that stopped
 * before its first checkpoint, one run given twice to report, RL and pretraining runs in one report;
 * and the short configuration summary a run prints.
 */
class TrustRunsTest {
    @TempDir
    static Path tmp;
    static Path run;
    static String printed;

    @BeforeAll
    static void aTinyRun() {
        run = tmp.resolve("run");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(RunFiles.tinyArgs(run, 4).toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        printed = buf.toString(StandardCharsets.UTF_8);
    }

    static Path copy(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    @Test
    void aRunPrintsAShortSummaryNotItsJson() {
        List<String> head = printed.lines().takeWhile(l -> !l.startsWith("step") && !l.contains("eval")).toList();
        assertTrue(head.size() <= 4, "a few lines before the first step: " + printed);
        assertTrue(head.get(0).startsWith("curlab train: data "), printed);
        assertTrue(printed.contains("every setting: the run's config.json"), printed);
        assertFalse(printed.lines().anyMatch(l -> l.strip().startsWith("{") || l.strip().startsWith("\"")), printed);
    }

    @Test
    void aResumeOverMetricsCutShortIsRefusedAndChangesNothing() throws Exception {
        Path r = copy("cut");
        Path metrics = r.resolve("metrics.jsonl");
        List<String> lines = Files.readAllLines(metrics);
        String cut = String.join("\n", lines.subList(0, 2)) + "\n" + lines.get(2).substring(0, 10);  // a half line at the end
        Files.writeString(metrics, cut);
        List<String> args = RunFiles.tinyArgs(r, 6);
        args.removeAll(List.of("--out", r.toString()));
        args.addAll(List.of("--resume", r.toString()));
        args.removeAll(List.of("--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8", "--eval-every", "10"));
        assertBad(BadInputTest.run(args.toArray(String[]::new)), "metrics.jsonl is " + cut.length() + " bytes", "cut short");
        assertEquals(cut, Files.readString(metrics), "metrics.jsonl as it was");
    }

    @Test
    void overwriteKeepsWhatCurlabDidNotWriteAndSaysWhich() throws Exception {
        Path r = copy("notes");
        Files.writeString(r.resolve("notes.txt"), "my notes");
        Files.createDirectories(r.resolve("mine"));
        Files.writeString(r.resolve("mine/NOTES.md"), "# mine");
        List<String> args = RunFiles.tinyArgs(r, 4);
        args.add("--overwrite");
        BadInputTest.Outcome o = BadInputTest.run(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        assertEquals("my notes", Files.readString(r.resolve("notes.txt")));
        assertEquals("# mine", Files.readString(r.resolve("mine/NOTES.md")));
        assertTrue(o.err().contains("kept what curlab did not write in " + r + ": mine/NOTES.md, notes.txt"), o.err());
        assertTrue(Files.isDirectory(r.resolve("checkpoints/step-00000004")), "the new run is in place");
    }

    @Test
    void aDemoRerunKeepsWhatCurlabDidNotWrite() throws Exception {
        Path demo = Files.createDirectories(tmp.resolve("demo/random"));
        Files.writeString(demo.getParent().resolve("compare.json"), "{}");
        Files.writeString(demo.getParent().resolve("summary.md"), "old");
        Files.writeString(demo.getParent().resolve("NOTES.md"), "keep me");
        Path seed = copy("demo/random/seed0");
        Files.writeString(seed.resolve("notes.txt"), "mine too");
        DemoCommand.clearPrevious(demo.getParent());
        assertEquals("keep me", Files.readString(demo.getParent().resolve("NOTES.md")));
        assertEquals("mine too", Files.readString(seed.resolve("notes.txt")));
        assertFalse(Files.exists(demo.getParent().resolve("summary.md")));
        assertFalse(Files.exists(seed.resolve("checkpoints")));
        assertFalse(Files.exists(seed.resolve("metrics.jsonl")));
    }

    @Test
    void aRunThatStoppedBeforeItsFirstCheckpointIsStartedAgainByOut() throws Exception {
        Path r = copy("early");
        Directories.deleteRecursively(r.resolve("checkpoints"));
        assertBad(BadInputTest.run("train", "--resume", r.toString()), "stopped before its first checkpoint",
                "start it again with --out " + r);
        BadInputTest.Outcome o = BadInputTest.run(RunFiles.tinyArgs(r, 4).toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("holds a run that stopped before its first checkpoint; starting it again"), o.err());
        assertTrue(Files.isDirectory(r.resolve("checkpoints/step-00000004")));
    }

    @Test
    void oneRunTwiceIsRefused() {
        assertBad(BadInputTest.run("report", run.toString(), run.toString(), "--out", tmp.resolve("r.html").toString()),
                "run " + run + " is given twice", "two seeds");
        assertBad(BadInputTest.run("report", tmp.toString(), run.toString(), "--out", tmp.resolve("r.html").toString()),
                "is given twice");
        assertFalse(Files.exists(tmp.resolve("r.html")));
    }

    @Test
    void rlAndPretrainingRunsInOneReportAreRefused() throws Exception {
        Path rl = Files.createDirectories(tmp.resolve("rlruns/rl"));
        Files.writeString(rl.resolve("config.json"), "{\"config\":{\"tasks\":\"builtin:arith\",\"curator\":\"uniform\"}}");
        Files.writeString(rl.resolve("metrics.jsonl"), "{\"kind\":\"eval\",\"step\":0}\n");
        assertBad(BadInputTest.run("report", run.toString(), rl.toString(), "--out", tmp.resolve("mixed.html").toString()),
                "RL runs (" + rl + ") and pretraining runs (" + run + ") cannot share one report");
        assertFalse(Files.exists(tmp.resolve("mixed.html")));
    }
}
