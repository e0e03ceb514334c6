package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --jobs J}: the cells run in real child JVMs, and give the same metrics, byte for
 * byte but for the wall-clock fields, as the same grid run in this process with the same thread count.
 */
class CompareJobsTest {
    static final List<String> SELECTORS = List.of("random", "loss");
    static final Pattern TIMES = Pattern.compile(",\"[a-z_]+_ms\":[-0-9.eE]+");

    @TempDir
    Path tmp;

    static String[] grid(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(CompareCommandTest.args(out, String.join(",", SELECTORS), "--seeds", "2")));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The grid's metrics.jsonl files, wall-clock fields cut out of each line, in grid order. */
    static List<String> metricsWithoutTimes(Path out) throws IOException {
        List<String> all = new ArrayList<>();
        for (String s : SELECTORS) {
            for (int k = 0; k < 2; k++) {
                Path m = out.resolve(s).resolve("seed" + k).resolve("metrics.jsonl");
                all.add(m + "\n" + TIMES.matcher(Files.readString(m, StandardCharsets.UTF_8)).replaceAll(""));
            }
        }
        return all;
    }

    @Test
    void twoJobsGiveTheSameMetricsAsOneAndAFinishedGridIsNotRecomputed() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        assertEquals(0, Main.run(grid(one, "--jobs", "1")));
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(grid(two, "--jobs", "2"))));
        assertTrue(printed.contains("4 of 4 runs to do, 2 at a time in their own processes, 1 PyTorch thread each"), printed);
        assertTrue(printed.contains("random seed 1: starting in its own process (log " + two.resolve("cells/random-seed1.log")), printed);
        assertEquals(metricsWithoutTimes(one).stream().map(s -> s.substring(s.indexOf('\n'))).toList(),
                metricsWithoutTimes(two).stream().map(s -> s.substring(s.indexOf('\n'))).toList());
        assertTrue(metricsWithoutTimes(two).get(0).contains("\"eval_loss\""));
        assertEquals(Files.readString(one.resolve("stats.csv")), Files.readString(two.resolve("stats.csv")));
        assertTrue(Files.readString(two.resolve("report.html")).contains("Paired statistics against random"));

        // a second run finds every cell finished: nothing is started, no metrics file is touched
        List<Long> modified = new ArrayList<>();
        for (String s : SELECTORS) {
            for (int k = 0; k < 2; k++) {
                modified.add(Files.getLastModifiedTime(two.resolve(s).resolve("seed" + k).resolve("metrics.jsonl")).toMillis());
            }
        }
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(grid(two, "--jobs", "2"))));
        assertTrue(printed.contains("0 of 4 runs to do"), printed);
        assertTrue(printed.contains("loss seed 1: finished before, skipped"), printed);
        assertFalse(printed.contains("starting in its own process"), printed);
        // a cell process started on a finished run (a retried Spark task, docs/cluster.md) returns at once
        Path done = two.resolve("random").resolve("seed0");
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run("compare-cell", "--config",
                two.resolve("cells/random-seed0.config.json").toString(), "--out", done.toString())));
        assertTrue(printed.contains("curlab: " + done + " holds the finished run; nothing to do"), printed);
        int i = 0;
        for (String s : SELECTORS) {
            for (int k = 0; k < 2; k++) {
                assertEquals(modified.get(i++), Files.getLastModifiedTime(two.resolve(s).resolve("seed" + k).resolve("metrics.jsonl")).toMillis());
            }
        }
    }

    @Test
    void aFailedCellIsNamedWithItsLog() throws Exception {
        Path out = tmp.resolve("failed");
        Path data = tmp.resolve("train.jsonl");
        Files.writeString(data, "{\"text\": \"a few words\"}\n");
        // the cells fail in their own processes: a data file without --heldout is refused when a run starts
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(grid(out, "--jobs", "2", "--data", data.toString()))));
        assertTrue(Pattern.compile("curlab: error: compare cell (random|loss) seed [01] failed \\(exit 2\\): curlab: error: --heldout is "
                + "required when --data is a file or directory; its log: " + Pattern.quote(out.resolve("cells").toString())
                + "/(random|loss)-seed[01]\\.log").matcher(err).find(), err);
    }

    @Test
    void badJobsAndReferenceAreRefusedBeforeAnythingRuns() {
        Path out = tmp.resolve("bad");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(grid(out, "--jobs", "0"))));
        assertTrue(err.contains("curlab: error: --jobs must be >= 1, got 0"), err);
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(grid(out, "--reference", "soft-q"))));
        assertTrue(err.contains("curlab: error: --reference: 'soft-q' is not one of --selectors random,loss"), err);
        assertFalse(Files.exists(out));
    }
}
