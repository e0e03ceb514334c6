package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareDownstreamTest {
    @TempDir
    Path tmp;

    @Test
    void compareScoresEveryFinalCheckpointOnTheGivenTasks() throws Exception {
        Path hs = tmp.resolve("hellaswag.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append("{\"activity_label\":\"Cooking\",\"ctx_a\":\"A man cracks an egg.\",\"ctx_b\":\"he\",")
                    .append("\"endings\":[\"stirs it.\",\"eats the pan whole.\",\"sings.\",\"fries it in butter.\"],\"label\":")
                    .append(i % 4).append("}\n");
        }
        Files.writeString(hs, sb);
        Path out = tmp.resolve("grid");
        int code = Main.run("compare", "--selectors", "random", "--seed-list", "0,1", "--steps", "4", "--eval-every", "2",
                "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8", "--no-progress",
                "--task", "hellaswag=" + hs, "--out", out.toString());
        assertEquals(0, code);
        List<String> rows = Files.readAllLines(out.resolve("downstream.csv"));
        assertEquals("selector,seed,task,questions,acc,acc_norm", rows.get(0));
        assertEquals(3, rows.size(), "one row per run: " + rows);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertEquals("hellaswag", f[2]);
            assertEquals("3", f[3]);
            double acc = Double.parseDouble(f[4]);
            assertTrue(acc >= 0 && acc <= 1 && Math.abs(acc * 3 - Math.round(acc * 3)) < 1e-3, "acc is k/3: " + row);
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Downstream tasks"));
        assertEquals(2, Main.run("compare", "--selectors", "random", "--task", "arc=x", "--out", tmp.resolve("bad").toString()));
    }
}
