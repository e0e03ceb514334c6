package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.catalog.Selectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    static final String[] TINY = {"--steps", "10", "--eval-every", "5", "-N", "4", "-M", "4", "--heldout-windows", "16",
        "--eval-windows", "8", "--context", "16", "--no-progress"};

    @TempDir
    Path tmp;

    /** A stand-in second selector, so the test does not depend on which baselines are merged. */
    static final class FirstCandidate implements Selector {
        @Override
        public String name() {
            return "first-candidate";
        }

        @Override
        public Selection select(dev.curlab.select.CandidateBatch batch, dev.curlab.select.StepMetrics metrics) {
            return Selection.single(0);
        }

        @Override
        public SelectorState save() {
            return new SelectorState(Map.of(), Map.of());
        }

        @Override
        public void restore(SelectorState state) {
        }
    }

    @BeforeAll
    static void register() {
        Selectors.register("first-candidate", "test only: always the first candidate", c -> new FirstCandidate());
    }

    static String[] args(Path out, String selectors, String... extra) {
        List<String> a = new ArrayList<>(List.of("compare", "--selectors", selectors, "--out", out.toString()));
        a.addAll(List.of(TINY));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void gridWritesTableAndReportAndASecondRunRedoesNothing() throws Exception {
        Path out = tmp.resolve("cmp");
        assertEquals(0, Main.run(args(out, "random,first-candidate", "--seeds", "2")));
        List<Path> metrics = new ArrayList<>();
        for (String s : List.of("random", "first-candidate")) {
            for (int k = 0; k < 2; k++) {
                Path m = out.resolve(s).resolve("seed" + k).resolve("metrics.jsonl");
                assertTrue(Files.exists(m), m.toString());
                metrics.add(m);
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("random,2,2,"));
        assertTrue(csv.get(2).startsWith("first-candidate,2,2,"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| random | 2 |"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h3>Eval loss vs examples trained</h3>"));
        assertTrue(Files.isRegularFile(out.resolve("figures").resolve("eval_loss_examples.png")));

        List<byte[]> before = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        for (Path m : metrics) {
            before.add(Files.readAllBytes(m));
            modified.add(Files.getLastModifiedTime(m).toMillis());
        }
        assertEquals(0, Main.run(args(out, "random,first-candidate", "--seeds", "2")));
        for (int i = 0; i < metrics.size(); i++) {
            assertArrayEquals(before.get(i), Files.readAllBytes(metrics.get(i)), metrics.get(i) + " was rewritten");
            assertEquals(modified.get(i), Files.getLastModifiedTime(metrics.get(i)).toMillis());
        }

        // the same seed gives the same data, initialisation and evaluation set across selectors: equal step-0 eval
        String r0 = Files.readAllLines(metrics.get(0)).get(0);
        String f0 = Files.readAllLines(metrics.get(2)).get(0);
        assertEquals(r0, f0);

        // other settings in the same directory are refused, not silently mixed
        String err = stderrOf(() -> assertEquals(2, Main.run(args(out, "random", "--seeds", "1", "--lr", "0.01"))));
        assertTrue(err.contains("holds a run made with other settings (lr 0.001 there, 0.01 now); pass the same options as before"), err);
    }

    @Test
    void statisticsAgainstANamedReferenceAndReportKeepsIt() throws Exception {
        Path out = tmp.resolve("ref");
        assertEquals(0, Main.run(args(out, "random,first-candidate", "--seeds", "2", "--reference", "first-candidate")));
        List<String> stats = Files.readAllLines(out.resolve("stats.csv"));
        assertEquals(5, stats.size(), String.join("\n", stats));            // header + 3 targets + AUC, random against first-candidate
        assertTrue(stats.get(1).startsWith("random,first-candidate,examples_to_target@1/4,"), stats.get(1));
        assertTrue(stats.get(4).startsWith("random,first-candidate,auc_log_examples,,2,0,"), stats.get(4));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Paired statistics"));
        assertTrue(Files.readString(out.resolve("stats.md")).contains("Machine: "));

        // report rebuilds them from the files, with the grid's reference unless told otherwise
        Files.delete(out.resolve("stats.csv"));
        stdoutOf(() -> assertEquals(0, Main.run("report", out.toString())));
        assertEquals(stats, Files.readAllLines(out.resolve("stats.csv")));
        stdoutOf(() -> assertEquals(0, Main.run("report", out.toString(), "--reference", "random")));
        assertTrue(Files.readAllLines(out.resolve("stats.csv")).get(1).startsWith("first-candidate,random,"));
    }

    @Test
    void unknownSelectorFailsBeforeAnythingRuns() {
        Path out = tmp.resolve("bad");
        String err = stderrOf(() -> assertEquals(2, Main.run(args(out, "random,no-such-selector"))));
        assertTrue(err.contains("curlab: error: --selectors: unknown selector 'no-such-selector' (expected one of random"), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void withoutRandomATargetIsRequired() {
        Path out = tmp.resolve("norandom");
        String err = stderrOf(() -> assertEquals(2, Main.run(args(out, "first-candidate"))));
        assertTrue(err.contains("curlab: error: --target-loss is required when --selectors does not include random"), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void singleRunOptionsAreRefused() {
        String err = stderrOf(() -> assertEquals(2, Main.run(args(tmp.resolve("x"), "random", "--selector", "random"))));
        assertTrue(err.contains("compare takes --selectors"), err);
        err = stderrOf(() -> assertEquals(2, Main.run(args(tmp.resolve("x"), "random", "--seeds", "2", "--seed-list", "1,2"))));
        assertTrue(err.contains("--seeds and --seed-list: give one of them, not both"), err);
    }

    static String stdoutOf(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void anUnfinishedRunWithACheckpointIsResumed() throws Exception {
        Path out = tmp.resolve("resume");
        String[] a = args(out, "random", "--seeds", "1", "--checkpoint-every", "5");
        assertEquals(0, Main.run(a));
        Path run = out.resolve("random").resolve("seed0");
        Path metrics = run.resolve("metrics.jsonl");
        List<String> full = Files.readAllLines(metrics);
        // pretend the run died after its step-5 checkpoint: drop the later checkpoint and metrics lines
        try (var s = Files.walk(run.resolve("checkpoints").resolve("step-00000010"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        int cut = 0;
        while (!full.get(cut).contains("\"kind\":\"eval\",\"step\":5")) {
            cut++;
        }
        Files.write(metrics, full.subList(0, cut + 1));
        String printed = stdoutOf(() -> assertEquals(0, Main.run(a)));
        assertTrue(printed.contains("random seed 0: resuming at step 5"), printed);
        List<String> again = Files.readAllLines(metrics);
        assertEquals(full.size(), again.size());
        assertEquals(evalLines(full), evalLines(again));
    }

    private static List<String> evalLines(List<String> lines) {
        return lines.stream().filter(l -> l.contains("\"kind\":\"eval\"")).toList();
    }
}
