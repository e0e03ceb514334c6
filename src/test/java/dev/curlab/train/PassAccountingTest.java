package dev.curlab.train;

import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.eval.Flops;
import dev.curlab.report.RunData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer runs only the passes a selector reads, and the metrics (hence the comparison's FLOPs)
 * record exactly those. Counted on the scorer: every window a no-grad forward pass took.
 */
class PassAccountingTest {
    private static final int STEPS = 25;          // evaluations at 0, 10, 20 and 25
    private static final int N = 4;
    private static final int M = 4;
    private static final int T = 32;
    private static final int EVAL_WINDOWS = 8;

    @TempDir
    Path tmp;

    private static TrainConfig config(String selector) {
        return TrainerTest.tiny("builtin:mixture", null, STEPS).toBuilder().selector(selector).reward("paired-delta").build();
    }

    private long forwarded(String selector, Path out) {
        try (Trainer t = Trainer.start(config(selector), out, false, RunListener.SILENT, StopSignal.none())) {
            t.run();
            return t.forwardedWindows();
        }
    }

    @Test
    void randomRunsNoScoringPassAndMeasuresTheRewardOnlyOnEvaluationSteps() {
        Path out = tmp.resolve("random");
        long windows = forwarded("random", out);
        // 4 evaluations of 8 windows, and the paired reward (2 passes of M) on the 3 steps that end in one
        assertEquals(4 * EVAL_WINDOWS + 3 * 2 * M, windows);
        for (Map<String, Object> line : RunFiles.metricsWithoutTimes(out)) {
            if (!"step".equals(line.get("kind"))) {
                continue;
            }
            long step = ((Number) line.get("step")).longValue();
            boolean evalStep = step % 10 == 0 || step == STEPS;
            assertEquals(0L, ((Number) line.get("scoring_forward_tokens")).longValue());
            assertEquals(evalStep ? 2L * M * T : 0L, ((Number) line.get("reward_forward_tokens")).longValue(), "step " + step);
            assertEquals(evalStep, line.containsKey("reward"), "step " + step);
            assertFalse(line.containsKey("selected_loss"));
        }
        RunData run = RunData.load(out);
        Flops.Breakdown f = run.trainFlops();
        assertEquals(0.0, f.scoring());
        assertEquals(run.perToken() * 3 * 2 * M * T, f.reward(), 1e-6 * f.reward());
        assertEquals(3 * run.perToken() * STEPS * T, f.update(), 1e-6 * f.update());
    }

    @Test
    void paperExactSoftQReadsHiddenStatesOnlyAndIsChargedTheBlocksWithoutTheHead() {
        Path out = tmp.resolve("paper-exact");
        List<String> args = RunFiles.tinyArgs(out, 12);
        args.addAll(List.of("--selector", "soft-q", "--paper-exact"));
        assertEquals(0, dev.curlab.cli.Main.run(args.toArray(String[]::new)));
        for (Map<String, Object> line : RunFiles.metricsWithoutTimes(out)) {
            if ("step".equals(line.get("kind"))) {
                assertEquals(0L, ((Number) line.get("scoring_forward_tokens")).longValue());
                assertEquals((long) N * T, ((Number) line.get("scoring_trunk_tokens")).longValue());
                assertTrue(line.containsKey("reward"));
            }
        }
        RunData run = RunData.load(out);
        double trunk = run.perToken() - Flops.headPerToken(64, 257);    // nano: d = 64, bytes: V = 257
        assertEquals(12 * N * T * trunk, run.trainFlops().scoring(), 1e-6 * run.trainFlops().scoring());
    }

    @Test
    void softQWithFirstOrderCreditScoresEveryStepAndMeasuresTheRewardOnlyOnEvaluationSteps() {
        Path out = tmp.resolve("soft-q");
        long windows = forwarded("soft-q", out);
        // per step: the held-out subset for the alignment, the N candidates; after the update only on the 3
        // steps that end in an evaluation (each candidate's credit is its alignment, not the step's reward)
        assertEquals(4 * EVAL_WINDOWS + STEPS * (M + N) + 3 * M, windows);
        List<Map<String, Object>> steps = RunFiles.metricsWithoutTimes(out).stream()
                .filter(l -> "step".equals(l.get("kind"))).toList();
        assertEquals(STEPS, steps.size());
        for (Map<String, Object> line : steps) {
            long step = ((Number) line.get("step")).longValue();
            boolean evalStep = step % 10 == 0 || step == STEPS;
            assertEquals((long) N * T, ((Number) line.get("scoring_forward_tokens")).longValue());
            assertEquals(evalStep ? 2L * M * T : 0L, ((Number) line.get("reward_forward_tokens")).longValue(), "step " + step);
            assertEquals(evalStep ? null : (long) M * T, line.get("alignment_forward_tokens") == null ? null
                    : ((Number) line.get("alignment_forward_tokens")).longValue(), "step " + step);
            assertEquals(evalStep, line.containsKey("reward"), "step " + step);
            assertTrue(line.containsKey("credit_mean"), "step " + step + " learned from its candidates' alignment");
        }
        Flops.Breakdown f = RunData.load(out).trainFlops();
        double perToken = RunData.load(out).perToken();
        assertTrue(f.scoring() >= perToken * STEPS * (N + M) * T, "every step's scoring and alignment pass is charged: " + f);
        assertEquals(perToken * 3 * 2 * M * T, f.reward(), 1e-6 * f.reward());
    }

    @Test
    void softQWithPickCreditReadsEveryStepsReward() {
        Path out = tmp.resolve("soft-q-pick");
        List<String> args = RunFiles.tinyArgs(out, 12);
        args.addAll(List.of("--selector", "soft-q", "--q-credit", "pick", "--reward", "paired-delta"));
        assertEquals(0, dev.curlab.cli.Main.run(args.toArray(String[]::new)));
        int seen = 0;
        for (Map<String, Object> line : RunFiles.metricsWithoutTimes(out)) {
            if ("step".equals(line.get("kind"))) {
                assertEquals(2L * M * T, ((Number) line.get("reward_forward_tokens")).longValue(), "step " + line.get("step"));
                assertTrue(line.containsKey("reward"));
                seen++;
            }
        }
        assertEquals(12, seen);
    }
}
