package dev.curlab.train;

import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.cli.Main;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.baselines.BaselineConfig;
import dev.curlab.select.softq.SoftQConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    static TrainConfig tiny(String data, String heldout, long steps) {
        return TrainConfig.builder().data(data).heldout(heldout).tokenizer("bytes").context(32)
                .steps(steps).candidates(4).heldoutBatch(4).heldoutWindows(16).evalWindows(8).evalEvery(10)
                .seed(7).reward("absolute").build();
    }

    @Test
    void sameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        assertEquals(0, Main.run(RunFiles.tinyArgs(a, 25).toArray(String[]::new)));
        assertEquals(0, Main.run(RunFiles.tinyArgs(b, 25).toArray(String[]::new)));
        List<String> other = RunFiles.tinyArgs(c, 25);
        other.addAll(List.of("--seed", "1"));
        assertEquals(0, Main.run(other.toArray(String[]::new)));
        List<Map<String, Object>> ma = RunFiles.metricsWithoutTimes(a);
        assertEquals(25 + 4, ma.size(), "25 step lines and evals at 0, 10, 20, 25");
        assertEquals(ma, RunFiles.metricsWithoutTimes(b));
        assertNotEquals(ma, RunFiles.metricsWithoutTimes(c));
    }

    @Test
    void evalPerplexityFallsAndCountersAddUp() {
        Path out = tmp.resolve("run");
        try (Trainer t = Trainer.start(tiny("builtin:mixture", null, 60), out, false, RunListener.SILENT, StopSignal.none())) {
            Trainer.Result r = t.run();
            assertEquals(60, r.steps());
            assertEquals(60, r.examples());
            assertTrue(Files.isDirectory(r.checkpoint()), "a final checkpoint is written");
        }
        List<Map<String, Object>> m = RunFiles.metricsWithoutTimes(out);
        Map<String, Object> first = m.get(0);
        Map<String, Object> last = m.get(m.size() - 1);
        assertEquals("eval", first.get("kind"));
        assertEquals(Math.log(257), ((Number) first.get("eval_loss")).doubleValue(), 0.1);
        assertTrue(((Number) last.get("eval_loss")).doubleValue() < ((Number) first.get("eval_loss")).doubleValue() - 1.0,
                "eval loss should fall by more than a nat in 60 steps: " + first + " -> " + last);
        assertEquals(240, ((Number) last.get("candidates_seen")).intValue());
        // Every eval line splits the same windows by source: the per-source losses weighted by each source's
        // window count in the evaluation set give back eval_loss.
        TrainConfig cfg = tiny("builtin:mixture", null, 60);
        Map<String, Long> counts = new java.util.TreeMap<>();
        HeldoutData.load(cfg, dev.curlab.data.DataSpecs.tokenizerFor(cfg.data(), cfg.tokenizer())).eval()
                .forEach(w -> counts.merge(w.source(), 1L, Long::sum));
        assertEquals(Set.of("arithmetic", "grammar", "copy"), counts.keySet(), "builtin:mixture evaluates its target sources");
        for (Map<String, Object> line : m) {
            if ("eval".equals(line.get("kind"))) {
                double weighted = 0;
                for (Map.Entry<String, Long> c : counts.entrySet()) {
                    weighted += ((Number) line.get("eval_loss_" + c.getKey())).doubleValue() * c.getValue() / cfg.evalWindows();
                }
                assertEquals(((Number) line.get("eval_loss")).doubleValue(), weighted, 1e-9, "step " + line.get("step"));
                assertEquals(3, line.keySet().stream().filter(k -> k.startsWith("eval_loss_")).count(), line.toString());
            }
        }
        for (Map<String, Object> line : m) {
            if ("step".equals(line.get("kind"))) {
                assertTrue(line.containsKey("selected_source") && line.containsKey("lr"));
                long step = ((Number) line.get("step")).longValue();   // random: the reward on evaluation steps only
                assertEquals(step % 10 == 0, line.containsKey("reward"), "step " + step);
            }
        }
    }

    @Test
    void nativeMemoryStaysFlat() {
        int afterShort;
        int afterLong;
        try (Trainer t = Trainer.start(tiny("builtin:mixture", null, 30), tmp.resolve("short"), false,
                RunListener.SILENT, StopSignal.none())) {
            t.run();
            afterShort = t.liveArrays();
        }
        try (Trainer t = Trainer.start(tiny("builtin:mixture", null, 230), tmp.resolve("long"), false,
                RunListener.SILENT, StopSignal.none())) {
            t.run();
            afterLong = t.liveArrays();
        }
        assertEquals(afterShort, afterLong, "live native arrays must not grow with the number of steps");
    }

    /** soft-q's defaults: the held-out subset and the head alignment in the scoring pass, the IL model's forwards. */
    @Test
    void nativeMemoryStaysFlatWithSoftQDefaults() {
        SelectorSettings settings = new SelectorSettings(1, SoftQConfig.DEFAULT,
                BaselineConfig.DEFAULT.withIlModel(3, tmp.resolve("il").toString()));
        int[] live = new int[2];
        long[] steps = {30, 230};
        for (int i = 0; i < 2; i++) {
            TrainConfig c = tiny("builtin:mixture", null, steps[i]);
            TrainConfig cfg = c.toBuilder().selector("soft-q").selectorSettings(settings).reward("auto").initFrom(null).build();
            try (Trainer t = Trainer.start(cfg, tmp.resolve("softq" + i), false, RunListener.SILENT, StopSignal.none())) {
                t.run();
                assertEquals("paired-delta", t.rewardKind());
                live[i] = t.liveArrays();
            }
        }
        assertEquals(live[0], live[1], "live native arrays must not grow with the number of steps");
    }

    @Test
    void eachTrainingWindowOfAnEpochIsSeenOnceAndRolesAreDisjoint() throws Exception {
        // 40 documents of ~40 bytes: about 50 windows of 33 bytes; 10 steps x 4 candidates = 40 < one epoch.
        StringBuilder train = new StringBuilder();
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            train.append("{\"text\":\"training document number ").append(i).append(" with words\",\"source\":\"s").append(i % 3).append("\"}\n");
            held.append("{\"text\":\"held out text ").append(i).append(" is different again\"}\n");
        }
        Path tf = tmp.resolve("train.jsonl");
        Path hf = tmp.resolve("held.jsonl");
        Files.writeString(tf, train);
        Files.writeString(hf, held);
        Path out = tmp.resolve("files");
        List<String> args = RunFiles.tinyArgs(out, 10);
        args.addAll(List.of("--data", tf.toString(), "--heldout", hf.toString(), "--tokenizer", "bytes", "--select-batch", "4"));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        Set<Integer> seen = new HashSet<>();
        for (Map<String, Object> line : RunFiles.metricsWithoutTimes(out)) {
            if ("step".equals(line.get("kind"))) {
                assertTrue(seen.add(((Number) line.get("selected_window")).intValue()), "window picked twice: " + line);
            }
        }
        assertEquals(10, seen.size());
        // The reward pool and the evaluation set come from one held-out file, split without overlap.
        try (Trainer t = Trainer.start(tiny(tf.toString(), hf.toString(), 1), tmp.resolve("roles"), false,
                RunListener.SILENT, StopSignal.none())) {
            HeldoutData h = HeldoutData.load(t.config(), dev.curlab.data.DataSpecs.tokenizerFor("x", "bytes"));
            Set<Long> reward = new HashSet<>();
            h.reward().forEach(w -> reward.add(w.id()));
            h.eval().forEach(w -> assertTrue(!reward.contains(w.id()), "eval window " + w.id() + " is also a reward window"));
            assertEquals(8, h.eval().size());
        }
    }
}
