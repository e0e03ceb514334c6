package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.curlab.select.baselines.BaselinesCliTest.Captured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** greats and odm through the real command line: 20-step runs, an exact resume, and their errors. */
class MixerSelectorsCliTest {
    @TempDir
    static Path tmp;

    private static int threads;

    @BeforeAll
    static void oneThread() {
        ai.djl.engine.Engine.getInstance();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    static List<String> common(String selector, int selectBatch, Path out) {
        return new ArrayList<>(List.of("train", "--selector", selector, "--select-batch", String.valueOf(selectBatch),
                "--data", "builtin:mixture", "--steps", "20", "--eval-every", "10", "--out", out.toString(), "--no-progress",
                "--context", "32", "-N", "4", "-M", "2", "--heldout-windows", "8", "--eval-windows", "4"));
    }

    @ParameterizedTest(name = "{0} B={1}")
    @CsvSource({"greats, 1, greats_alignment", "greats, 2, greats_alignment", "odm, 1, odm_source", "odm, 2, odm_policy"})
    void runsTwentyStepsAndWritesItsMetrics(String selector, int selectBatch, String metric) throws IOException {
        Path out = tmp.resolve(selector + "-" + selectBatch);
        Captured r = BaselinesCliTest.run(common(selector, selectBatch, out).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> steps = BaselinesCliTest.stepsWithoutTimings(out);
        assertEquals(20, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> m = steps.get(i);
            assertTrue(m.containsKey(metric), selector + " metrics line lacks " + metric + ": " + m);
            assertEquals((long) selectBatch * (i + 1), ((Number) m.get("examples_trained")).longValue());
            if (selector.equals("greats")) {
                assertTrue(m.containsKey("alignment_head_tokens"), "the alignment is charged to scoring: " + m);
                // B > 1: N x T rows of head gradients and the N x N Gram, N = 4, T = 32
                assertEquals(selectBatch > 1 ? 4L * (32 + 4) : null, m.get("gram_head_tokens") == null ? null
                        : ((Number) m.get("gram_head_tokens")).longValue());
            }
        }
    }

    /** A run resumed from its step-10 checkpoint repeats the uninterrupted run's steps 11..20 exactly. */
    @ParameterizedTest(name = "{0} B={1}")
    @CsvSource({"greats, 2", "odm, 1"})
    void resumedRunContinuesExactly(String selector, int selectBatch) throws IOException {
        Path full = tmp.resolve("resume-" + selector);
        List<String> args = common(selector, selectBatch, full);
        args.addAll(List.of("--checkpoint-every", "10"));
        assertEquals(0, BaselinesCliTest.run(args.toArray(String[]::new)).code());
        Path copy = tmp.resolve("resume-" + selector + "-copy");
        BaselinesCliTest.copyTree(full, copy);
        BaselinesCliTest.deleteTree(copy.resolve("checkpoints/step-00000020"));
        Captured r = BaselinesCliTest.run("train", "--resume", copy.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> expected = BaselinesCliTest.stepsWithoutTimings(full);
        List<Map<String, Object>> resumed = BaselinesCliTest.stepsWithoutTimings(copy);
        assertEquals(20, resumed.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(expected.get(i), resumed.get(i), "step " + (i + 1));
        }
    }

    @Test
    void helpListsThemAndBadInputExitsTwo() throws IOException {
        Captured help = BaselinesCliTest.run("train", "--help");
        assertEquals(0, help.code());
        for (String s : List.of("  greats ", "  odm ", "--greats-lr")) {
            assertTrue(help.out().contains(s), "--help lacks " + s);
        }
        Captured bad = BaselinesCliTest.run("train", "--selector", "greats", "--greats-lr", "-1", "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code());
        assertEquals("curlab: error: --greats-lr must be a number >= 0 (0 = the run's --lr), got -1.0", bad.err().strip());

        Path plain = tmp.resolve("plain.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("{\"text\": \"document ").append(i).append(": the quick brown fox jumps over the lazy dog\"}\n");
        }
        Files.writeString(plain, sb.toString());
        List<String> args = common("odm", 1, tmp.resolve("unlabelled"));
        args.set(args.indexOf("builtin:mixture"), plain.toString());
        args.addAll(List.of("--heldout", plain.toString(), "--tokenizer", "bytes"));
        Captured r = BaselinesCliTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        // names the first window of the (shuffled) stream by its id within the file
        assertTrue(r.err().strip().matches(java.util.regex.Pattern.quote("curlab: error: --selector odm needs a 'source' label on every"
                + " training window, but --data " + plain + " has a window without one (window ") + "\\d+\\)"), r.err());
    }
}
