package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    static Path run(Path root, String selector, long seed, double finalLoss) throws Exception {
        Path dir = root.resolve(selector).resolve("seed" + seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
                {"config": {"context": 4, "steps": 2, "candidates": 2, "heldoutBatch": 1, "evalWindows": 2,
                  "selector": "%s", "seed": %d, "reward": "absolute"},
                 "resolved": {"model": {"layers": 1, "d_model": 4}}}
                """, selector, seed));
        Files.writeString(dir.resolve("metrics.jsonl"), String.format(Locale.ROOT, """
                {"kind":"eval","step":0,"examples_trained":0,"candidates_seen":0,"eval_loss":5.0,"eval_ppl":148.4}
                {"kind":"step","step":1,"examples_trained":1,"candidates_seen":2,"lr":0.001,"reward":-5.0,"step_ms":10.0}
                {"kind":"step","step":2,"examples_trained":2,"candidates_seen":4,"lr":0.001,"reward":-4.0,"step_ms":10.0}
                {"kind":"eval","step":2,"examples_trained":2,"candidates_seen":4,"eval_loss":%s,"eval_ppl":1.0}
                """, finalLoss));
        return dir;
    }

    @Test
    void aCompareDirectoryGetsItsReportAndTable() throws Exception {
        run(tmp, "random", 0, 4.0);
        run(tmp, "soft-q", 0, 3.0);
        assertEquals(0, Main.run("report", tmp.toString()));
        String html = Files.readString(tmp.resolve("report.html"));
        assertTrue(html.contains("Target eval loss: 4.0000 (random's mean final eval loss over 1 seed)"), html);
        // soft-q reaches 4.0 halfway between (0, 5.0) and (2, 3.0): 1 example, half random's 2
        assertTrue(html.contains("<tr><td>soft-q</td><td>1</td><td>3.0000</td><td>20.086</td><td>1</td><td>0.500</td>"), html);
    }

    @Test
    void oneRunDirectoryAndMistakes() throws Exception {
        Path r = run(tmp, "soft-q", 3, 3.0);
        assertEquals(0, Main.run("report", r.toString()));
        assertTrue(Files.readString(r.resolve("report.html")).contains("No target eval loss"));
        assertEquals(2, Main.run("report", r.toString(), tmp.resolve("soft-q").toString()));           // several DIRs need --out
        assertEquals(2, Main.run("report", tmp.resolve("missing").toString()));
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(2, Main.run("report", tmp.resolve("empty").toString()));
        assertEquals(0, Main.run("report", r.toString(), "--target-loss", "4.5", "--out", tmp.resolve("x.html").toString()));
        assertTrue(Files.readString(tmp.resolve("x.html")).contains("Target eval loss: 4.5000 (--target-loss)"));
    }
}
