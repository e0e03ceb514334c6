package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.curlab.report.tensorboard.EventDecoder;
import dev.curlab.train.RunFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareDownstreamTest {
    @TempDir
    Path tmp;

    private Path hellaswag() throws Exception {
        Path hs = tmp.resolve("hellaswag.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append("{\"activity_label\":\"Cooking\",\"ctx_a\":\"A man cracks an egg.\",\"ctx_b\":\"he\",")
                    .append("\"endings\":[\"stirs it.\",\"eats the pan whole.\",\"sings.\",\"fries it in butter.\"],\"label\":")
                    .append(i % 4).append("}\n");
        }
        Files.writeString(hs, sb);
        return hs;
    }

    @Test
    void compareScoresEveryFinalCheckpointOnTheGivenTasks() throws Exception {
        Path hs = hellaswag();
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

    @Test
    void taskEveryScoresTheTasksAtEvaluationsAndTabulatesThemAgainstExamplesAndFlops() throws Exception {
        Path hs = hellaswag();
        Path out = tmp.resolve("curves");
        int code = Main.run("compare", "--selectors", "random,stratified", "--seed-list", "0,1", "--steps", "4", "--eval-every", "2",
                "--task-every", "2", "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8",
                "--no-progress", "--task", "hellaswag=" + hs, "--out", out.toString());
        assertEquals(0, code);
        List<String> curves = Files.readAllLines(out.resolve("task-curves.csv"));
        assertEquals("selector,task,step,seeds,acc_mean,acc_lo,acc_hi,examples_trained,train_flops", curves.get(0));
        assertEquals(1 + 2 * 3, curves.size(), "two selectors, evaluations at steps 0, 2, 4: " + curves);
        List<String> finals = Files.readAllLines(out.resolve("downstream.csv"));
        for (String selector : List.of("random", "stratified")) {
            for (long step : List.of(0L, 2L, 4L)) {
                List<Double> acc = new ArrayList<>();
                double examples = 0;
                for (long seed : List.of(0L, 1L)) {
                    Path run = out.resolve(selector).resolve("seed" + seed);
                    Map<String, Object> e = RunFiles.metricsWithoutTimes(run).stream()
                            .filter(m -> m.get("kind").equals("eval") && ((Number) m.get("step")).longValue() == step).findFirst().orElseThrow();
                    double a = ((Number) e.get("task/hellaswag/acc")).doubleValue();
                    assertTrue(Math.abs(a * 3 - Math.round(a * 3)) < 1e-9, "acc is k/3: " + e);
                    assertTrue(e.containsKey("task/hellaswag/acc_norm"), e.toString());
                    acc.add(a);
                    examples += ((Number) e.get("examples_trained")).doubleValue() / 2;
                    assertTrue(EventDecoder.runScalarsWithoutTimes(run).contains(step + " task/hellaswag/acc " + (float) a),
                            "the TensorBoard events carry it");
                    if (step == 4) {                                       // the last evaluation is the final checkpoint's score
                        String row = finals.stream().filter(r -> r.startsWith(selector + "," + seed + ",")).findFirst().orElseThrow();
                        assertEquals(a, Double.parseDouble(row.split(",")[4]), 1e-4, row);
                    }
                }
                String row = curves.stream().filter(r -> r.startsWith(selector + ",hellaswag," + step + ",")).findFirst().orElseThrow();
                String[] f = row.split(",");
                assertEquals("2", f[3]);
                assertEquals((acc.get(0) + acc.get(1)) / 2, Double.parseDouble(f[4]), 1e-6, row);
                double lo = Double.parseDouble(f[5]);
                double hi = Double.parseDouble(f[6]);
                assertTrue(lo >= Math.min(acc.get(0), acc.get(1)) - 1e-6 && hi <= Math.max(acc.get(0), acc.get(1)) + 1e-6 && lo <= hi, row);
                assertEquals(examples, Double.parseDouble(f[7]), 1e-6, row);
                double flops = Double.parseDouble(f[8]);
                assertTrue(step == 0 ? flops == 0 : flops > 0, row);
            }
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Downstream accuracy as training goes: hellaswag"));

        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("train", "--steps", "4", "--eval-every", "2",
                "--task-every", "3", "--task", "hellaswag=" + hs, "--out", tmp.resolve("bad-every").toString())));
        assertEquals("curlab: error: --task-every (3) must be a multiple of --eval-every (2): tasks are scored at evaluations", err.strip());
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("train", "--steps", "4", "--task-every", "2",
                "--out", tmp.resolve("no-task").toString())));
        assertEquals("curlab: error: --task-every 2 needs the tasks to score: --task hellaswag=FILE or mmlu=DIR", err.strip());
    }
}
