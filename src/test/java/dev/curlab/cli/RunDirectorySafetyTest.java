package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static dev.curlab.cli.BadInputTest.run;
import static dev.curlab.cli.BadInputTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.run.CheckpointStore;
import dev.curlab.train.RunFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An existing run is never lost to a run that then fails, and one process at a time trains in a
 * run directory: real child processes, checked against the files byte for byte.
 */
class RunDirectorySafetyTest {
    @TempDir
    Path tmp;

    private static List<String> args(Path out, int steps, String... extra) {
        List<String> a = RunFiles.tinyArgs(out, steps);
        a.addAll(List.of(extra));
        return a;
    }

    private static void assertNoLeftovers(Path run) {
        Path parent = run.toAbsolutePath().getParent();
        String name = run.getFileName().toString();
        assertFalse(Files.exists(parent.resolve("." + name + ".overwrite")), "staging directory left behind");
        assertFalse(Files.exists(parent.resolve("." + name + ".replaced")), "replaced run left behind");
        assertFalse(Files.exists(run.resolve(".lock")), "lock file left behind");
    }

    @Test
    void anOverwriteThatFailsMidStreamLeavesTheOldRunByteForByte() throws Exception {
        Path old = tmp.resolve("old");
        assertEquals(0, Main.run(args(old, 5).toArray(String[]::new)));
        Map<String, String> before = snapshot(old);
        // Good text for 97 lines, then a byte sequence that is not UTF-8 on line 98: found only while streaming.
        ByteArrayOutputStream txt = new ByteArrayOutputStream();
        for (int line = 1; line <= 180; line++) { // a blank line after every ten: documents of ten lines
            if (line == 98) {
                txt.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
            } else if (line % 11 == 0) {
                txt.write('\n');
            } else {
                txt.write(("line " + line + " of a perfectly ordinary training document\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path bad = tmp.resolve("late.txt");
        Files.write(bad, txt.toByteArray());
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            held.append("{\"text\":\"a perfectly good held-out document number ").append(i).append("\"}\n");
        }
        Path heldout = tmp.resolve("heldout.jsonl");
        Files.writeString(heldout, held);

        Path log = tmp.resolve("child.log");
        int code = ChildCli.run(args(old, 200, "--data", bad.toString(), "--heldout", heldout.toString(), "--tokenizer", "bytes",
                "--checkpoint-every", "100", "--overwrite"), log);
        String said = Files.readString(log);
        assertEquals(2, code, said);
        List<String> errors = ChildCli.errorLines(log);
        assertEquals(1, errors.size(), said);
        assertTrue(errors.get(0).contains("late.txt") && errors.get(0).contains("line 98"), errors.get(0));
        assertEquals(before, snapshot(old), "the old run must be byte for byte unchanged");
        assertNoLeftovers(old);
    }

    @Test
    void anOverwriteThatSucceedsReplacesTheOldRunWithTheNewOne() throws Exception {
        Path old = tmp.resolve("replaced");
        assertEquals(0, Main.run(args(old, 5).toArray(String[]::new)));
        Path fresh = tmp.resolve("fresh");
        assertEquals(0, Main.run(args(fresh, 6, "--seed", "3").toArray(String[]::new)));
        assertEquals(0, Main.run(args(old, 6, "--seed", "3", "--overwrite").toArray(String[]::new)));
        assertEquals(RunFiles.metricsWithoutTimes(fresh), RunFiles.metricsWithoutTimes(old));
        assertEquals(List.of(old.resolve("checkpoints/step-00000006")), new CheckpointStore(old).list());
        assertTrue(Files.readString(old.resolve("config.json")).contains("\"seed\" : 3"));
        assertNoLeftovers(old);
    }

    @Test
    void aSecondProcessIsRefusedWhileTheFirstTrainsAndTheFirstRunStaysIntact() throws Exception {
        Path out = tmp.resolve("busy");
        Process first = ChildCli.start(args(out, 100000, "--checkpoint-every", "5", "--eval-every", "1000"), tmp.resolve("first.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(out.resolve("checkpoints/step-00000010"))) {
                assertTrue(first.isAlive(), "the first run ended: " + Files.readString(tmp.resolve("first.log")));
                assertTrue(System.nanoTime() < deadline, "the first run is too slow");
                Thread.sleep(20);
            }
            String pid = "pid " + first.pid();
            assertBad(run("train", "--resume", out.toString(), "--no-progress"), "--resume " + out, "in use", pid);
            assertBad(run(args(out, 5, "--overwrite").toArray(String[]::new)), "--out " + out, "in use", pid);
            assertTrue(first.isAlive());
            assertStepsConsecutive(out, true); // the first run's metrics, untouched by the refused ones
        } finally {
            first.destroyForcibly(); // SIGKILL: its lock file stays behind, its OS lock goes
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(out.resolve(".lock")));
        long last = Long.parseLong(new CheckpointStore(out).list().get(0).getFileName().toString().substring(5));
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--steps", String.valueOf(last + 2), "--no-progress"));
        assertStepsConsecutive(out, false);
        assertNoLeftovers(out);
    }

    /** Every line of metrics.jsonl is one JSON object and the step lines count 1, 2, 3, ... (but a last line being written). */
    private static void assertStepsConsecutive(Path run, boolean beingWritten) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long expect = 1;
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        for (String line : beingWritten ? lines.subList(0, lines.size() - 1) : lines) {
            Map<?, ?> m = json.readValue(line, Map.class);
            if ("step".equals(m.get("kind"))) {
                assertEquals(expect++, ((Number) m.get("step")).longValue(), line);
            }
        }
        assertTrue(expect > 9, "steps written: " + (expect - 1)); // at least 1-9: checkpoint 10 follows step 10's line
    }
}
