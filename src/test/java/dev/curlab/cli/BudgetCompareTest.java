package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.eval.Flops;
import dev.curlab.report.MetricsFile;
import dev.curlab.report.RunData;
import dev.curlab.train.LrSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare --budget-flops: every run stops at the same compute, each with its own steps and LR horizon. */
class BudgetCompareTest {
    private static final double P = 237_696;              // nano, T = 32, bytes: FLOPs per token forward (StepCostTest)
    private static final double BUDGET = 6000 * P;

    @TempDir
    Path tmp;

    private static String[] args(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("compare", "--selectors", "random,soft-q", "--seeds", "1",
                "--out", out.toString(), "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16",
                "--eval-windows", "8", "--eval-every", "10", "--no-progress", "--q-prior", "none",
                "--lr-schedule", "cosine", "--budget-flops", String.valueOf(BUDGET)));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void everyRunSpendsTheBudgetWithinOneStepAndRandomAffordsMoreSteps() throws Exception {
        Path out = tmp.resolve("cmp");
        assertEquals(0, Main.run(args(out)));
        RunData random = RunData.load(out.resolve("random/seed0"));
        RunData softQ = RunData.load(out.resolve("soft-q/seed0"));
        // random: 96 P per step plus 128 P on each evaluation step: 54 steps cost 5184 P + 6 * 128 P = 5952 P
        assertEquals(54, random.steps());
        assertTrue(random.finished() && softQ.finished());
        // soft-q (first-order credit): N candidates scored, M held-out windows for the alignment, one update: 352 P
        // a step, plus the after-update held-out pass on evaluation steps only; it affords about a quarter of random's
        assertTrue(softQ.steps() < random.steps() / 3, "soft-q pays for scoring and the alignment: " + softQ.steps());
        for (RunData r : List.of(random, softQ)) {
            Flops.Breakdown[] c = r.cumulative();
            double spent = r.trainFlops().total();
            double maxStep = c[0].total();
            for (int i = 1; i < c.length; i++) {
                maxStep = Math.max(maxStep, c[i].total() - c[i - 1].total());
            }
            assertTrue(spent <= BUDGET, r.selector() + " spent " + spent);
            assertTrue(BUDGET - spent < maxStep, r.selector() + " left " + (BUDGET - spent) + ", a step costs up to " + maxStep);
        }
        // the cosine schedule's horizon is the budget's steps: it ends at its minimum right after the last step
        double[] lr = MetricsFile.column(random.metrics().steps(), "lr");
        LrSchedule own = new LrSchedule("cosine", 1e-3, 0, 54, 0.1, 0.2);
        assertEquals(own.at(53), lr[53], 1e-15);
        assertEquals(1e-4, own.at(54), 1e-15);
        for (double v : lr) {
            assertTrue(v >= lr[53], "the last step has the smallest LR");
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("Equal compute: every run had a budget of"), summary);
        // in child processes (--jobs 2) each cell affords the same steps, and says so when it finishes
        Path par = tmp.resolve("cmp-jobs");
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(args(par, "--jobs", "2"))));
        assertTrue(printed.contains("random seed 0: finished 54 steps"), printed);
        assertTrue(printed.contains("soft-q seed 0: finished " + softQ.steps() + " steps"), printed);
        assertEquals(softQ.steps(), RunData.load(par.resolve("soft-q/seed0")).steps());
        // rerunning the same command finds both runs finished (their own steps, not --steps)
        assertEquals(0, Main.run(args(out)));
        assertEquals(54, RunData.load(out.resolve("random/seed0")).steps());
    }

    @Test
    void aSmallIrreducibleLossModelIsChargedAtItsOwnShapeByTheBudgetAndTheTableAlike() throws Exception {
        Path out = tmp.resolve("pico-il");
        String[] a = {"train", "--out", out.toString(), "--selector", "rho-loss", "--il-model", "pico", "--il-steps", "5",
            "--il-cache", tmp.resolve("il").toString(), "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16",
            "--eval-windows", "8", "--eval-every", "10", "--no-progress", "--budget-flops", String.valueOf(BUDGET)};
        assertEquals(0, Main.run(a));
        RunData r = RunData.load(out);
        // pico at T = 32, V = 257: 2 * 12 * 32^2 + 2 * 32 * 32 + 2 * 32 * 257 = 43072 FLOPs per token forward
        double pico = 43_072;
        double ilTraining = 3 * pico * 5 * 8 * 32;            // --il-steps 5 of --il-batch 8 windows, charged once
        double perStep = (4 * 32 + 3 * 32) * P + 4 * 32 * pico;  // scoring N, one update, the IL forward over N
        // evaluation steps add the reward measured for the log (auto is absolute for rho-loss: M windows)
        long k = r.steps();
        long measured = k / 10 + (k % 10 == 0 ? 0 : 1);
        assertEquals(ilTraining + k * perStep + measured * 4 * 32 * P, r.trainFlops().total(), 1e-6 * BUDGET);
        assertTrue(r.trainFlops().total() <= BUDGET && BUDGET - r.trainFlops().total() < perStep + 4 * 32 * P,
                "spent " + r.trainFlops().total() + " of " + BUDGET + " in " + k + " steps");
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(config.contains("\"il_model\"") && config.contains("\"d_model\" : 32"), config);
    }

    @Test
    void scoringOnAPrefixIsChargedForThePrefixOnlyAndTheWholeWindowChangesNothing() throws Exception {
        String[] common = {"--selector", "rho-loss", "--il-model", "pico", "--il-steps", "5", "--il-cache", tmp.resolve("il").toString(),
            "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8", "--eval-every", "10", "--no-progress"};
        Path prefix = tmp.resolve("prefix8");
        assertEquals(0, Main.run(concat(new String[] {"train", "--out", prefix.toString(), "--score-tokens", "8",
            "--budget-flops", String.valueOf(BUDGET)}, common)));
        RunData r = RunData.load(prefix);
        double pico = 43_072;                                  // see above
        double ilTraining = 3 * pico * 5 * 8 * 32;
        double perStep = 4 * 8 * P + 3 * 32 * P + 4 * 8 * pico; // scoring and the IL forward read 8 of 32 predictions
        long k = r.steps();
        long measured = k / 10 + (k % 10 == 0 ? 0 : 1);
        assertEquals(ilTraining + k * perStep + measured * 4 * 32 * P, r.trainFlops().total(), 1e-6 * BUDGET);
        assertTrue(BUDGET - r.trainFlops().total() < perStep + 4 * 32 * P, "the budget affords the cheaper steps: " + k);
        for (var line : r.metrics().steps()) {
            assertEquals(4L * 8, ((Number) line.get("scoring_forward_tokens")).longValue());
            assertEquals(4L * 8, ((Number) line.get("il_forward_tokens")).longValue());
        }
        // --score-tokens at the window's length is the whole window: the same run, line by line
        Path whole = tmp.resolve("whole");
        Path full = tmp.resolve("full");
        assertEquals(0, Main.run(concat(new String[] {"train", "--out", whole.toString(), "--steps", "12"}, common)));
        assertEquals(0, Main.run(concat(new String[] {"train", "--out", full.toString(), "--steps", "12", "--score-tokens", "32"}, common)));
        assertEquals(dev.curlab.train.RunFiles.metricsWithoutTimes(whole), dev.curlab.train.RunFiles.metricsWithoutTimes(full));
        // a prefix changes what rho-loss reads, hence (on this data) its picks
        Path short8 = tmp.resolve("short8");
        assertEquals(0, Main.run(concat(new String[] {"train", "--out", short8.toString(), "--steps", "12", "--score-tokens", "8"}, common)));
        assertFalse(dev.curlab.train.RunFiles.metricsWithoutTimes(whole).equals(dev.curlab.train.RunFiles.metricsWithoutTimes(short8)));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aBudgetBelowOneStepIsRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("small");
        String[] a = {"train", "--out", out.toString(), "--context", "32", "-N", "4", "-M", "4", "--heldout-windows", "16",
            "--eval-windows", "8", "--no-progress", "--budget-flops", "1e6"};
        assertEquals(2, Main.run(a));
        assertFalse(Files.exists(out.resolve("config.json")));
    }
}
