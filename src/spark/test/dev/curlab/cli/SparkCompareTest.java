package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.run.CheckpointStore;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.curlab.spark.SharedOut;
import dev.curlab.spark.SparkCells;
import dev.curlab.spark.SparkCompare;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curlab-spark} on Spark's embedded local master: the grid's cells run as Spark tasks, each in
 * its own JVM, and give the metrics of a sequential {@code compare} (wall-clock fields aside), also
 * when a cell's process is killed mid-run and Spark retries its task.
 */
class SparkCompareTest {
    /** Long enough that a cell is still running when its first checkpoint (step 10) appears. */
    static final String[] LONGER = {"--steps", "60", "--eval-every", "20", "--checkpoint-every", "10"};

    @TempDir
    static Path tmp;
    static Path sequential;

    static SparkConf conf(String master) {
        return new SparkConf().setMaster(master).set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    static String[] sparkGrid(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(CompareJobsTest.grid(out, LONGER)));
        a.addAll(List.of(extra));
        return a.subList(1, a.size()).toArray(String[]::new);   // without the "compare" subcommand
    }

    @BeforeAll
    static void sequentialGrid() {
        sequential = tmp.resolve("sequential");
        CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(CompareJobsTest.grid(sequential, LONGER))));
    }

    @Test
    void aGridOnTheLocalMasterGivesTheSequentialMetricsAndIsNotRecomputed() throws Exception {
        Path out = tmp.resolve("spark");
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, SparkCompare.run(conf("local[2]"), sparkGrid(out))));
        assertTrue(printed.contains("curlab-spark: 4 run(s) to do as Spark tasks on local[2]"), printed);
        assertTrue(printed.contains("loss seed 1: finished on "), printed);
        assertEquals(withoutPaths(CompareJobsTest.metricsWithoutTimes(sequential)), withoutPaths(CompareJobsTest.metricsWithoutTimes(out)));
        assertEquals(Files.readString(sequential.resolve("stats.csv")), Files.readString(out.resolve("stats.csv")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Paired statistics against random"));
        assertTrue(Files.readString(out.resolve("machine.json")).contains("\"threads\" : 1"), Files.readString(out.resolve("machine.json")));

        // run again: every cell is finished, so no task starts and no metrics file is touched
        long modified = Files.getLastModifiedTime(out.resolve("loss/seed1/metrics.jsonl")).toMillis();
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, SparkCompare.run(conf("local[2]"), sparkGrid(out))));
        assertTrue(printed.contains("curlab-spark: 0 run(s) to do"), printed);
        assertTrue(printed.contains("random seed 0: finished before, skipped"), printed);
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("loss/seed1/metrics.jsonl")).toMillis());
    }

    @Test
    void aKilledCellIsRetriedBySparkAndResumesToTheUninterruptedMetrics() throws Exception {
        Path out = tmp.resolve("killed");
        Path dir = out.resolve("random/seed0");
        Path log = out.resolve("cells/random-seed0.log");
        AtomicLong killed = new AtomicLong(-1);
        Thread killer = new Thread(() -> {
            try {
                while (new CheckpointStore(dir).list().isEmpty()) {       // the first checkpoint (step 10) is written
                    Thread.sleep(5);
                }
                Matcher m = Pattern.compile("attempt 0 on .*, pid (\\d+),").matcher(Files.readString(log));
                assertTrue(m.find(), "no pid in " + log);
                long pid = Long.parseLong(m.group(1));
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                    p.destroyForcibly();                                   // kill -9: no checkpoint on the way out
                    killed.set(pid);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.setDaemon(true);
        killer.start();
        // local[2,2]: two cores, and a task may fail twice (plain local[2] never retries)
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, SparkCompare.run(conf("local[2,2]"), sparkGrid(out))));
        killer.join(10_000);
        assertTrue(killed.get() > 0, "the cell's process finished before it could be killed");
        assertTrue(printed.matches("(?s).*random seed 0: finished on \\S+ \\(task attempt 1\\).*"),
                printed);
        String cellLog = Files.readString(log);
        assertTrue(cellLog.contains("attempt 1 on "), cellLog);
        assertTrue(Pattern.compile("resuming at step [1-9]").matcher(cellLog).find(), cellLog);
        assertEquals(withoutPaths(CompareJobsTest.metricsWithoutTimes(sequential)), withoutPaths(CompareJobsTest.metricsWithoutTimes(out)));
        assertFalse(Files.exists(dir.resolve(".lock")));
    }

    @Test
    void aCellThatCrashesOnEveryAttemptFailsTheJobWithOneLine() throws Exception {
        Path out = tmp.resolve("crashing");
        SparkConf conf = conf("local[2,2]").set(SparkCells.JAVA_OPTIONS, "-Xmx1m");    // no JVM starts with 1 MB of heap: exit 1
        String err = CompareCommandTest.stderrOf(() -> assertEquals(1, SparkCompare.run(conf, sparkGrid(out))));
        String line = SharedOutTest.errors(err);
        assertTrue(Pattern.matches("curlab: error: the Spark job failed: cell (random|loss) seed [01] ended with exit code 1 on \\S+ "
                + "\\(attempt 1\\) \\(the cells' logs are in " + Pattern.quote(out.toAbsolutePath().resolve("cells").toString())
                + "; rerun the same command to resume; finished cells are kept\\)", line), line);
        String cellLog = Files.readString(out.resolve("cells/random-seed0.log"));
        assertTrue(cellLog.contains("random seed 0: attempt 0 on ") && cellLog.contains("Too small maximum heap"), cellLog);
        assertFalse(Files.exists(out.resolve("summary.md")));
    }

    @Test
    void rlCompareCellsRunAsSparkTasksWithTheSequentialMetrics() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("{\"prompt\":\"q").append(i).append("=\",\"answer\":\"").append(i % 10).append("\",\"source\":\"d\"}\n");
        }
        Path bank = Files.writeString(tmp.resolve("bank.jsonl"), sb);
        Path seq = tmp.resolve("rl-sequential");
        Path out = tmp.resolve("rl-spark");
        assertEquals(0, Main.run(rlGrid("rl-compare", bank, seq)));
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, SparkCompare.run(conf("local[2]"), rlGrid("rl-compare", bank, out))));
        assertTrue(printed.contains("curlab-spark: 2 run(s) to do as Spark tasks on local[2]"), printed);
        assertTrue(printed.contains("uniform seed 1: finished on "), printed);
        for (int k = 0; k < 2; k++) {
            assertEquals(RunFiles.metricsWithoutTimes(seq.resolve("uniform/seed" + k)), RunFiles.metricsWithoutTimes(out.resolve("uniform/seed" + k)));
        }
        assertTrue(Files.readString(out.resolve("table.md")).contains("| uniform |"));
    }

    /** A tiny rl-compare grid of uniform at two seeds on {@code bank}, a fresh pico policy. */
    static String[] rlGrid(String command, Path bank, Path out) {
        return new String[] {command, "--tasks", bank.toString(), "--model", "pico", "--context", "16", "--steps", "2", "-N", "4",
                "-B", "2", "-G", "2", "--max-new", "1", "--heldout", "4", "--eval-every", "2", "--curators", "uniform", "--seeds", "2",
                "--out", out.toString(), "--no-progress"};
    }

    static List<String> withoutPaths(List<String> metrics) {
        List<String> out = new ArrayList<>();
        for (String s : metrics) {
            out.add(s.substring(s.indexOf('\n')));
        }
        return out;
    }
}
