package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import java.util.List;

/**
 * The policy-gradient loss of one update on completion tokens only:
 * L = - sum_i A_i sum_{t in completion i} log pi(y_it | prefix) / (completion tokens of the batch).
 * One pass ({@code step} temporaries; call inside a gradient collector). Sequences are prompt then
 * completion, right-padded; padding and prompt positions weigh 0.
 */
public final class PolicyLoss {
    private PolicyLoss() {
    }

    /** A sequence to learn from: prompt ids, completion ids, and its advantage. */
    public record Sample(int[] prompt, int[] completion, double advantage) {
    }

    /** Completion tokens over all samples: the loss's normaliser. */
    public static long completionTokens(List<Sample> samples) {
        long n = 0;
        for (Sample s : samples) {
            n += s.completion().length;
        }
        return n;
    }

    /** Per-target-position weights (S, L-1): A_i / tokens on completion targets, 0 elsewhere. */
    public static float[] weights(List<Sample> samples, int length, long tokens) {
        float[] w = new float[samples.size() * (length - 1)];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int p = s.prompt().length;
            for (int j = 0; j < s.completion().length; j++) {
                w[i * (length - 1) + p - 1 + j] = (float) (s.advantage() / tokens); // target p+j is read at position p-1+j
            }
        }
        return w;
    }

    /** Padded length: the longest prompt + completion. */
    public static int length(List<Sample> samples) {
        int len = 0;
        for (Sample s : samples) {
            len = Math.max(len, s.prompt().length + s.completion().length);
        }
        return len;
    }

    /**
     * The differentiable loss. {@code weights} (S, L-1) must be a tensor of {@code step} kept alive
     * until after backward (DJL-NOTES: no Java numbers where gradients flow).
     */
    public static NDArray loss(NDManager step, Gpt2Model model, List<Sample> samples, int length, NDArray weights) {
        int s = samples.size();
        long[] in = new long[s * (length - 1)];
        long[] out = new long[s * (length - 1)];
        for (int i = 0; i < s; i++) {
            Sample x = samples.get(i);
            int[] full = new int[x.prompt().length + x.completion().length];
            System.arraycopy(x.prompt(), 0, full, 0, x.prompt().length);
            System.arraycopy(x.completion(), 0, full, x.prompt().length, x.completion().length);
            for (int j = 0; j + 1 < full.length; j++) {
                in[i * (length - 1) + j] = full[j];
                out[i * (length - 1) + j] = full[j + 1];
            }
        }
        Shape shape = new Shape(s, length - 1);
        NDArray inputs = step.create(in, shape);
        NDArray targets = step.create(out, shape);
        NDArray hidden = model.hidden(step, inputs);                                       // (S, L-1, C)
        NDArray logp = model.logits(step, hidden).logSoftmax(-1);                          // (S, L-1, V)
        NDArray picked = logp.gather(targets.expandDims(-1), -1).squeeze(-1);              // (S, L-1)
        return picked.mul(weights).sum().neg();
    }
}
