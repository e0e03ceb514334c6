package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.report.tensorboard.EventDecoder;
import dev.curlab.train.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child processes killed with SIGKILL or stopped with SIGTERM mid-run, then resumed: the
 * resumed run's metrics must equal an uninterrupted run's, line by line (wall-clock fields aside).
 */
class InterruptAndResumeTest {
    static final int STEPS = 240;
    @TempDir
    static Path tmp;
    static List<Map<String, Object>> reference;

    static List<String> args(Path out) {
        List<String> a = RunFiles.tinyArgs(out, STEPS);
        a.set(a.indexOf("--eval-every") + 1, "40");
        a.addAll(List.of("--checkpoint-every", "40"));
        return a;
    }

    @BeforeAll
    static void uninterrupted() {
        Path ref = tmp.resolve("reference");
        assertEquals(0, Main.run(args(ref).toArray(String[]::new)));
        reference = RunFiles.metricsWithoutTimes(ref);
    }

    static Process child(Path out, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1"), "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(out));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static long stepLines(Path out) throws IOException {
        Path m = out.resolve("metrics.jsonl");
        if (!Files.exists(m)) {
            return 0;
        }
        return Files.readAllLines(m, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"kind\":\"step\"")).count();
    }

    static void waitForSteps(Process p, Path out, long steps) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (stepLines(out) < steps) {
            assertTrue(p.isAlive(), "child ended before step " + steps);
            assertTrue(System.nanoTime() < deadline, "child too slow");
            Thread.sleep(20);
        }
    }

    @Test
    void sigkillLosesOnlyTheStepsSinceTheLastCheckpointAndResumesExactly() throws Exception {
        Path out = tmp.resolve("killed");
        Process p = child(out, tmp.resolve("killed.log"));
        waitForSteps(p, out, 100);
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        long written = stepLines(out);
        assertTrue(written >= 100 && written < STEPS, "killed mid-run, after " + written + " steps");
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--no-progress"));
        assertEquals(reference, RunFiles.metricsWithoutTimes(out));
        List<String> events = EventDecoder.runScalarsWithoutTimes(out);
        assertEquals(EventDecoder.runScalarsWithoutTimes(tmp.resolve("reference")), events, "TensorBoard events: each step once, as uninterrupted");
        assertEquals(STEPS, events.stream().filter(l -> l.contains(" train/loss ")).count());
    }

    @Test
    void sigtermWritesACheckpointSaysHowToResumeAndResumesExactly() throws Exception {
        Path out = tmp.resolve("terminated");
        Path log = tmp.resolve("terminated.log");
        Process p = child(out, log);
        waitForSteps(p, out, 60);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0, "a stopped run exits non-zero");
        String said = Files.readString(log);
        assertTrue(said.contains("resume with: curlab train --resume " + out), said);
        long steps = stepLines(out);
        assertTrue(Files.isDirectory(out.resolve(String.format("checkpoints/step-%08d", steps))),
                "checkpoint at the stop step " + steps);
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--no-progress"));
        assertEquals(reference, RunFiles.metricsWithoutTimes(out));
    }
}
