package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.model.GptConfig;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.RandomSelector;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.select.baselines.ScoreSelector;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The steps a budget affords, against hand-computed FLOPs. */
class StepCostTest {
    // nano at T = 32, bytes (V = 257): 2 * 12 * 2 * 64^2 + 2 * 2 * 32 * 64 + 2 * 64 * 257 = 196608 + 8192 + 32896
    private static final double P = 237_696;
    private static final GptConfig NANO = GptConfig.preset("nano", 32, 257);

    private static TrainConfig tiny(String reward) {   // N = M = 4, T = 32, eval every 10, B = 1
        return TrainerTest.tiny("builtin:mixture", null, 1).toBuilder().reward(reward).build();
    }

    @Test
    void randomPaysItsUpdatesAndTheLoggedRewardOnEvaluationSteps() {
        StepCost c = StepCost.of(tiny("absolute"), NANO, new RandomSelector(0, 1), false);
        assertEquals(3 * 32 * P, c.perStep(), 1e-6);        // one window, forward and backward
        assertEquals(4 * 32 * P, c.onEvalSteps(), 1e-6);    // M windows after the update, steps 10, 20, ... and the last
        assertEquals(0, c.once());
        // K = 27: 27 * 96 P + 3 * 128 P = 2976 P <= 3000 P; K = 28: 2688 P + 384 P = 3072 P
        assertEquals(2976 * P, c.total(27), 1e-6);
        assertEquals(27, c.affordableSteps(3000 * P));
        assertEquals(27, c.affordableSteps(2976 * P));
        assertEquals(26, c.affordableSteps(2976 * P - 1));
        assertEquals(0, c.affordableSteps(200 * P));        // one step costs 96 P + 128 P
    }

    @Test
    void aSelectorOfHiddenStatesOnlyPaysTheBlocksWithoutTheHead() {
        Selector hiddenOnly = new Selector() {
            @Override
            public String name() {
                return "hidden-only";
            }

            @Override
            public Set<Need> needs() {
                return Set.of(Need.HIDDEN, Need.REWARD);
            }

            @Override
            public Selection select(CandidateBatch batch, StepMetrics metrics) {
                return Selection.single(0);
            }

            @Override
            public SelectorState save() {
                return new SelectorState(Map.of(), Map.of());
            }

            @Override
            public void restore(SelectorState state) {
            }
        };
        StepCost c = StepCost.of(tiny("absolute"), NANO, hiddenOnly, false);
        double trunk = P - 2 * 64 * 257;                       // the blocks: 204800 FLOPs per token
        assertEquals(4 * 32 * trunk + 3 * 32 * P + 4 * 32 * P, c.perStep(), 1e-6);
        assertEquals(0, c.onEvalSteps());
    }

    @Test
    void stepsEndingInAnEvaluationOrACheckpointAreCountedOnce() {
        // eval every 10, checkpoint every 4, 25 steps: 4 8 10 12 16 20 24 25 = 8 (hand count)
        assertEquals(8, new StepCost(1, 1, 0, 10, 4).measuredSteps(25));
        assertEquals(7, new StepCost(1, 1, 0, 10, 4).measuredSteps(24));   // 4 8 10 12 16 20 24
        assertEquals(3, new StepCost(1, 1, 0, 10, 0).measuredSteps(25));   // 10 20 25
        long brute = 0;
        for (long k = 1; k <= 997; k++) {
            brute += k % 6 == 0 || k % 15 == 0 || k == 997 ? 1 : 0;
        }
        assertEquals(brute, new StepCost(1, 1, 0, 6, 15).measuredSteps(997));
    }

    @Test
    void aScoringSelectorPaysTheScoringPassEveryStepAndThePairedRewardOnEvaluationSteps() {
        StepCost c = StepCost.of(tiny("paired-delta"), NANO, new ScoreSelector(ScoreSelector.Score.LOSS, 0, 1, 0), true);
        assertEquals((4 * 32 + 3 * 32) * P, c.perStep(), 1e-6);
        assertEquals(2 * 4 * 32 * P, c.onEvalSteps(), 1e-6);
        // K = 11: 11 * 224 P + 2 * 256 P = 2976 P; K = 12: 2688 P + 512 P = 3200 P
        assertEquals(11, c.affordableSteps(3000 * P));
    }
}
