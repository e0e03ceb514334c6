package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfficiencyTableTest {
    @TempDir
    Path tmp;

    List<RunData> grid() throws Exception {
        return List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "paired-delta", new double[] {5, 3, 2.5}, HandRuns.SOFTQ)),
                RunData.load(HandRuns.write(tmp, "loss", 0, "absolute", new double[] {5, 4.8, 4.6}, "")));
    }

    @Test
    void flopsAccumulateStepByStep() throws Exception {
        RunData r = grid().get(0);
        assertEquals(4 * HandRuns.STEP_FLOPS, r.trainFlops().total(), 0);
        assertEquals(4 * 3840.0, r.trainFlops().scoring(), 0);
        assertEquals(4 * 5760.0, r.trainFlops().update(), 0);
        assertEquals(4 * 1920.0, r.trainFlops().reward(), 0);
        assertEquals(0, r.evalTrainFlops()[0], 0);
        assertEquals(2 * HandRuns.STEP_FLOPS, r.evalTrainFlops()[1], 0);
        assertEquals(3 * 2 * 4 * 480.0, r.evalFlops(), 0);                  // 3 evals of 2 windows x 4 tokens
        assertEquals(4 * HandRuns.STEP_FLOPS_PAIRED, grid().get(2).trainFlops().total(), 0);
        assertEquals(1.0, r.wallSeconds(), 1e-12);                           // 4 x 250 ms
    }

    /** Head alignment: its extra head products (2 d V = 64 per row) and a held-out pass run only for it (480 per token). */
    @Test
    void alignmentCostIsChargedToScoring() throws Exception {
        RunData r = RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 4, 3},
                ",\"alignment_head_tokens\":12,\"alignment_forward_tokens\":4"));
        assertEquals(4 * (3840.0 + 64 * 12 + 480 * 4), r.trainFlops().scoring(), 0);
        assertEquals(4 * 1920.0, r.trainFlops().reward(), 0);
    }

    @Test
    void targetIsRandomsMeanFinalLossAndSeedsThatNeverReachItAreCounted() throws Exception {
        EfficiencyTable t = EfficiencyTable.build(grid(), Double.NaN);
        assertEquals(3.5, t.target(), 1e-12);                                // (3 + 4) / 2

        EfficiencyTable.Row random = t.rows().get(0);
        assertEquals("random", random.selector());
        assertEquals(1, random.reached());                                   // seed 1 bottoms out at 4.0
        assertEquals(3.0, random.examplesToTarget(), 1e-12);                 // halfway from (2, 4.0) to (4, 3.0)
        assertEquals(3 * HandRuns.STEP_FLOPS, random.flopsToTarget(), 1e-9);
        assertEquals(3.5, random.lossMean(), 1e-12);
        assertEquals(Math.sqrt(0.5), random.lossStd(), 1e-12);

        EfficiencyTable.Row softq = t.rows().get(1);
        assertEquals(1, softq.reached());
        assertEquals(1.5, softq.examplesToTarget(), 1e-12);                  // 0.75 of the way from 0 to 2
        assertEquals(0.5, softq.examplesRatio(), 1e-12);
        assertEquals(1.5 * HandRuns.STEP_FLOPS_PAIRED, softq.flopsToTarget(), 1e-9);
        assertEquals(1.5 * HandRuns.STEP_FLOPS_PAIRED / (3 * HandRuns.STEP_FLOPS), softq.flopsRatio(), 1e-12);

        EfficiencyTable.Row loss = t.rows().get(2);
        assertEquals(0, loss.reached());
        assertTrue(Double.isNaN(loss.examplesToTarget()));

        String md = t.markdown();
        assertTrue(md.contains("| loss | 1 | 4.6000 | 99.484 | not reached (0/1) | - |"), md);
        assertTrue(md.contains("| 3 (1/2 reached) | 1.000 (partial) |"), md);
        assertTrue(md.contains("mean is over the k seeds that reached the target only"), md);
        assertTrue(t.runsMarkdown().contains("| random | 1 | 4.0000 | not reached | not reached | 4/4 |"), t.runsMarkdown());

        String[] csv = t.csv().split("\n");
        assertEquals(4, csv.length);
        assertTrue(csv[3].startsWith("loss,1,1,4.6,,"), csv[3]);
        assertTrue(csv[3].contains(",3.5,0,,,"), csv[3]);                   // target, 0 reached, no mean, no ratio
    }

    @Test
    void explicitTargetOverridesAndNoTargetMeansNoToTargetColumns() throws Exception {
        EfficiencyTable t = EfficiencyTable.build(grid(), 4.5);
        assertEquals("--target-loss", t.targetSource());
        assertEquals(2, t.rows().get(0).reached());
        assertEquals(1.5, t.rows().get(0).examplesToTarget(), 1e-12);      // seed 0 at 1 (halfway 5 -> 4), seed 1 at 2 (exactly)
    }

    @Test
    void withoutRandomThereIsNoDefaultTarget() throws Exception {
        EfficiencyTable t = EfficiencyTable.build(grid().subList(2, 4), Double.NaN);
        assertFalse(t.hasTarget());
        assertFalse(t.markdown().contains("examples to target"));
    }
}
