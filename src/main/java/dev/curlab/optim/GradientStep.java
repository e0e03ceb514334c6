package dev.curlab.optim;

import ai.djl.ndarray.NDManager;
import dev.curlab.model.WindowScorer;
import java.util.Arrays;
import java.util.List;

/**
 * One LM update theta <- STEP(theta, sum_i w_i l(theta, x_i), alpha, G), in two halves so a caller can
 * inspect the gradient norm between them: {@link #backward} zeroes the gradients and accumulates them
 * over micro-batches; {@link #apply} clips to global norm G and takes the optimizer step. With one
 * window and weight 1 this is the paper's SGDSTEP; with Boltzmann weights it is the soft mixture
 * (eqs. 7-8).
 */
public final class GradientStep {
    private final WindowScorer scorer;
    private final Optimizer optimizer;
    private final double clip;
    private final int microbatch;

    public GradientStep(WindowScorer scorer, Optimizer optimizer, double clip, int microbatch) {
        this.scorer = scorer;
        this.optimizer = optimizer;
        this.clip = clip;
        this.microbatch = microbatch;
    }

    /** The weighted loss before the update, and the global gradient norm before clipping. */
    public record Result(double loss, double gradNorm) {
    }

    /** Fills the gradients of sum_i w_i l(theta, x_i); parameters are not changed yet. */
    public Result backward(NDManager step, List<int[]> windows, float[] weights) {
        var params = scorer.model().parameters().values();
        Gradients.zero(params);
        double loss = 0;
        for (int from = 0; from < windows.size(); from += microbatch) {
            int to = Math.min(windows.size(), from + microbatch);
            loss += scorer.backwardWeightedLoss(step, windows.subList(from, to), Arrays.copyOfRange(weights, from, to));
        }
        return new Result(loss, Gradients.globalNorm(params));
    }

    /** Clips to global norm G (when it exceeds G) and applies the optimizer with learning rate lr. */
    public void apply(double lr, double gradNorm) {
        var params = scorer.model().parameters();
        Gradients.clip(params.values(), clip, gradNorm); // the norm backward() measured
        optimizer.step(params, lr);
    }

    public Optimizer optimizer() {
        return optimizer;
    }
}
