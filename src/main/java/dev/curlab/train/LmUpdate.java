package dev.curlab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.curlab.model.WindowScorer;
import dev.curlab.optim.Gradients;
import dev.curlab.optim.Optimizer;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import java.util.ArrayList;
import java.util.List;

/**
 * One LM update theta <- STEP(theta, sum_i w_i l(theta, x_i), alpha, G): zero the gradients, forward
 * and backward in micro-batches (gradients accumulate), clip to global norm G, optimizer step.
 * With one-hot weights this is the paper's SGDSTEP on C_k[a_k]; with Boltzmann weights it is the soft
 * mixture (eqs. 7-8).
 */
final class LmUpdate {
    private final WindowScorer scorer;
    private final Optimizer optimizer;
    private final double clip;
    private final int microbatch;

    LmUpdate(WindowScorer scorer, Optimizer optimizer, double clip, int microbatch) {
        this.scorer = scorer;
        this.optimizer = optimizer;
        this.clip = clip;
        this.microbatch = microbatch;
    }

    /** Result of the update: the weighted loss before it, and the gradient norm before clipping. */
    record Result(double loss, double gradNorm) {
    }

    /** Computes gradients of the weighted loss (no parameter change yet). */
    Result backward(NDManager step, CandidateBatch batch, Selection selection) {
        var params = scorer.model().parameters();
        Gradients.zero(params.values());
        int[] idx = selection.train();
        float[] w = selection.weights();
        double loss = 0;
        for (int from = 0; from < idx.length; from += microbatch) {
            int to = Math.min(idx.length, from + microbatch);
            List<int[]> windows = new ArrayList<>(to - from);
            float[] weights = new float[to - from];
            for (int i = from; i < to; i++) {
                windows.add(batch.window(idx[i]).tokens());
                weights[i - from] = w[i];
            }
            // The weights are a tensor in the step manager, alive until backward is done (DJL-NOTES).
            NDArray weightTensor = step.create(weights);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray part = scorer.weightedLoss(step, windows, weightTensor);
                gc.backward(part);
                loss += part.getFloat();
            }
        }
        double norm = Gradients.globalNorm(params.values());
        return new Result(loss, norm);
    }

    /** Clips and applies the gradients computed by {@link #backward}. */
    void apply(double lr, double gradNorm) {
        var params = scorer.model().parameters();
        if (clip > 0 && gradNorm > clip) {
            Gradients.clip(params.values(), clip);
        }
        optimizer.step(params, lr);
    }
}
