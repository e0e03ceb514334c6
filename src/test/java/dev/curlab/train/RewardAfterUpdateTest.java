package dev.curlab.train;

import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import dev.curlab.run.CheckpointStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.Tokenizer;
import dev.curlab.eval.Evaluator;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.select.SelectorSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eq. 1's reward is measured after the update: each step's {@code heldout_logprob} is the held-out
 * subset's mean log-probability under the weights the step's checkpoint holds, recomputed here through
 * the evaluator from the checkpoint files. With M = the pool size the subset is the whole pool, so the
 * recomputation needs no knowledge of which windows were drawn.
 */
class RewardAfterUpdateTest {
    @TempDir
    Path tmp;

    @Test
    void heldoutLogprobIsTheSubsetsLogProbUnderTheUpdatedWeights() {
        TrainConfig cfg = TrainConfig.builder().data("builtin:mixture").tokenizer("bytes").context(32)
                .steps(2).candidates(4).heldoutBatch(4).heldoutWindows(4).evalWindows(8).evalEvery(10)
                .optimizer("sgd").lr(0.5).weightDecay(0.0).seed(7).checkpointEvery(1).reward("absolute").build();
        Path out = tmp.resolve("run");
        try (Trainer t = Trainer.start(cfg, out, false, RunListener.SILENT, StopSignal.none())) {
            t.run();
        }
        List<Map<String, Object>> steps = RunFiles.metricsWithoutTimes(out).stream().filter(l -> "step".equals(l.get("kind"))).toList();
        assertEquals(2, steps.size());
        Tokenizer tok = DataSpecs.tokenizerFor(cfg.data(), cfg.tokenizer());
        var pool = HeldoutData.load(cfg, tok).reward();
        assertEquals(4, pool.size(), "M = the pool: every step's subset is the whole pool");
        GptConfig shape = GptConfig.preset(cfg.model(), cfg.context(), tok.vocabSize());
        double[] recomputed = new double[2];
        for (int k = 1; k <= 2; k++) {
            try (Gpt2Model model = new Gpt2Model(shape, 99); NDManager tmpM = model.manager().newSubManager()) {
                CheckpointStore.Loaded ck = CheckpointStore.load(out.resolve(String.format("checkpoints/step-%08d", k)), tmpM);
                for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                    p.getValue().set(ck.tensors().get("model").get(p.getKey()).toFloatArray());
                }
                recomputed[k - 1] = -new Evaluator(3).meanLoss(new WindowScorer(model), model.manager(), pool);
            }
        }
        for (int k = 0; k < 2; k++) {
            assertEquals(recomputed[k], ((Number) steps.get(k).get("heldout_logprob")).doubleValue(), 1e-5, "step " + (k + 1));
        }
        assertTrue(Math.abs(recomputed[1] - recomputed[0]) > 1e-3,
                "the update moves the held-out log-prob, so before and after can be told apart: " + recomputed[0] + " vs " + recomputed[1]);
    }
}
