package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.curlab.select.baselines.BaselinesCliTest.Captured;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** skill-it and easy-to-hard on builtin:skills through the real command line: 20-step runs, an exact resume, errors. */
class SkillsSelectorsCliTest {
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

    static List<String> common(String selector, Path out) {
        return new ArrayList<>(List.of("train", "--selector", selector, "--data", "builtin:skills", "--steps", "20",
                "--eval-every", "10", "--out", out.toString(), "--no-progress", "--context", "32", "-N", "4", "-M", "2",
                "--heldout-windows", "8", "--eval-windows", "4", "--skillit-round", "4", "--checkpoint-every", "10"));
    }

    /** Runs 20 steps, and a run resumed from its step-10 checkpoint repeats steps 11..20 exactly. */
    @ParameterizedTest
    @ValueSource(strings = {"skill-it", "easy-to-hard"})
    void runsAndResumesExactly(String selector) throws IOException {
        Path full = tmp.resolve(selector);
        Captured r = BaselinesCliTest.run(common(selector, full).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> expected = BaselinesCliTest.stepsWithoutTimings(full);
        assertEquals(20, expected.size());
        String metric = selector.equals("skill-it") ? "skillit_mixture" : "easy_to_hard_level";
        for (Map<String, Object> m : expected) {
            assertTrue(m.containsKey(metric), m.toString());
        }
        if (selector.equals("easy-to-hard")) {   // 4 levels over 20 steps: level 1 first, level 4 last
            assertEquals(1.0, ((Number) expected.get(0).get("easy_to_hard_level")).doubleValue());
            assertEquals(4.0, ((Number) expected.get(19).get("easy_to_hard_level")).doubleValue());
        }
        Path copy = tmp.resolve(selector + "-copy");
        BaselinesCliTest.copyTree(full, copy);
        BaselinesCliTest.deleteTree(copy.resolve("checkpoints/step-00000020"));
        Captured resumed = BaselinesCliTest.run("train", "--resume", copy.toString(), "--no-progress");
        assertEquals(0, resumed.code(), resumed.err());
        List<Map<String, Object>> again = BaselinesCliTest.stepsWithoutTimings(copy);
        for (int i = 0; i < 20; i++) {
            assertEquals(expected.get(i), again.get(i), "step " + (i + 1));
        }
    }

    /** soft-q with n-step credit through the CLI: it trains, the TD loss is logged once transitions complete, and bad combinations exit 2. */
    @Test
    void softQWithNStepCreditRuns() throws IOException {
        Path out = tmp.resolve("nstep");
        List<String> args = common("soft-q", out);
        args.addAll(List.of("--q-credit", "pick", "--gamma", "0.9", "--q-nstep", "4", "--q-prior", "none"));
        Captured r = BaselinesCliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> steps = BaselinesCliTest.stepsWithoutTimings(out);
        assertEquals(20, steps.size());
        assertTrue(!steps.get(3).containsKey("td_loss"), "step 4: no transition has its 4-step return yet: " + steps.get(3));
        assertTrue(steps.get(4).containsKey("td_loss"), "step 5: the first pick's return is complete: " + steps.get(4));
        Captured bad = BaselinesCliTest.run("train", "--selector", "soft-q", "--q-nstep", "4", "--out", tmp.resolve("bad-n").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("curlab: error: --q-nstep 4 needs --q-credit pick"), bad.err());
    }

    @Test
    void badGraphExitsTwo() throws IOException {
        Captured bad = BaselinesCliTest.run("train", "--selector", "skill-it", "--skillit-graph", "estimated",
                "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code());
        assertEquals("curlab: error: --skillit-graph: expected known or identity, got 'estimated'", bad.err().strip());
    }
}
