package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File data through the shuffle buffer, killed with SIGKILL in a real child process and resumed:
 * the buffer's contents and generator come back exactly (the resumed metrics, picked window ids
 * included, equal an uninterrupted run's), across several epochs of the file.
 */
class FileDataResumeTest {
    static final int STEPS = 120;

    @TempDir
    Path tmp;

    /** A file sorted by source, 60 documents of about 3 windows each: about 180 windows, 45 steps of N = 4 per epoch. */
    private Path data(String name, int docs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < docs; d++) {
            String source = d < docs / 2 ? "alpha" : "beta";
            sb.append("{\"text\":\"").append(source).append(" document ").append(d).append(": ")
                    .append("lorem ipsum dolor sit amet ".repeat(3)).append("\",\"source\":\"").append(source).append("\"}\n");
        }
        Path f = tmp.resolve(name);
        Files.writeString(f, sb);
        return f;
    }

    private List<String> args(Path out) throws Exception {
        return new ArrayList<>(List.of("train", "--data", data("train.jsonl", 60).toString(),
                "--heldout", data("heldout.jsonl", 20).toString(), "--tokenizer", "bytes", "--steps", String.valueOf(STEPS),
                "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8", "--eval-every", "40",
                "--checkpoint-every", "20", "--shuffle-buffer", "64", "--no-progress", "--out", out.toString()));
    }

    @Test
    void sigkillThenResumeReproducesTheShuffledStream() throws Exception {
        Path ref = tmp.resolve("reference");
        assertEquals(0, Main.run(args(ref).toArray(String[]::new)));
        assertTrue(Files.readString(ref.resolve("config.json")).contains("shuffle buffer of 64 windows"));

        Path out = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1"),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(out));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        InterruptAndResumeTest.waitForSteps(p, out, 50);
        p.destroyForcibly(); // SIGKILL, after the checkpoint at step 40 and in the second epoch of the file
        p.waitFor(30, TimeUnit.SECONDS);
        long written = InterruptAndResumeTest.stepLines(out);
        assertTrue(written >= 50 && written < STEPS, "killed mid-run, after " + written + " steps");
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--no-progress"));
        assertEquals(RunFiles.metricsWithoutTimes(ref), RunFiles.metricsWithoutTimes(out));
    }
}
