package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.run.CheckpointStore;
import dev.curlab.train.RunFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RL checkpoint whose state.json names no format version resumes as version 1, to the metrics of
 * an intact resume; one of a newer version is refused (exit 2) with the hint to use a newer curlab.
 */
class RlCheckpointVersionTest {

    @TempDir
    Path tmp;

    private static String[] rl(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("rl", "--model", "pico", "--context", "32", "-N", "4", "-B", "2", "-G", "2",
                "--max-new", "4", "--heldout", "4", "--eval-every", "1", "--seed", "5", "--out", out.toString(), "--no-progress"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static int quiet(String[] args, StringBuilder err) {
        PrintStream e = System.err;
        PrintStream o = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setErr(e);
            System.setOut(o);
            err.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCheckpointWithoutVersionResumesAndANewerOneIsRefused() throws IOException {
        Path intact = tmp.resolve("intact");
        Path old = tmp.resolve("old");
        for (Path p : List.of(intact, old)) {
            assertEquals(0, quiet(rl(p, "--steps", "2"), new StringBuilder()));
        }
        RunFiles.editState(old, 2, st -> assertEquals(CheckpointStore.VERSION, st.remove("version")));
        for (Path p : List.of(intact, old)) {
            assertEquals(0, quiet(new String[] {"rl", "--resume", p.toString(), "--steps", "3", "--no-progress"}, new StringBuilder()));
        }
        List<Map<String, Object>> a = RunFiles.metricsWithoutTimes(intact);
        a.forEach(l -> l.remove("wall_clock_sec"));
        List<Map<String, Object>> b = RunFiles.metricsWithoutTimes(old);
        b.forEach(l -> l.remove("wall_clock_sec"));
        assertEquals(a, b);

        RunFiles.editState(old, 3, st -> st.put("version", CheckpointStore.VERSION + 1));
        StringBuilder err = new StringBuilder();
        assertEquals(2, quiet(new String[] {"rl", "--resume", old.toString(), "--steps", "4", "--no-progress"}, err));
        assertTrue(err.toString().contains("step-00000003 is in curlab-checkpoint format version 2, newer than this curlab reads (version 1);"
                + " resume it with the curlab that wrote it, or a newer one"), err.toString());
    }
}
