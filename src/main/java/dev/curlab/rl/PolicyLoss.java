package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import java.util.List;

/**
 * The policy-gradient loss of one update on completion tokens only:
 * L = - sum_i A_i sum_{t in completion i} log pi(y_it | prefix) / (completion tokens of the batch),
 * plus, with a reference policy, beta times the mean over the same tokens of the k3 estimate of
 * KL(pi || pi_ref) (DeepSeekMath's GRPO, eq. 4): exp(log pi_ref - log pi) - (log pi_ref - log pi) - 1.
 * One pass ({@code step} temporaries; call inside a gradient collector). Sequences are prompt then
 * completion, right-padded; padding and prompt positions weigh 0. pi is the policy at the sampling
 * temperature T, softmax(logits / T), the distribution the rollouts were drawn from (as TRL's
 * GRPOTrainer scores them), for the policy and the reference alike.
 */
public final class PolicyLoss {
    private PolicyLoss() {
    }

    /** The loss and, with a reference, the mean k3 KL per completion token (0 without one). */
    public record Terms(NDArray loss, NDArray kl) {
    }

    /** k3 estimate of KL(pi || pi_ref) at one sampled token (Schulman 2020; DeepSeekMath eq. 4): r - log r - 1, r = pi_ref / pi. */
    public static double k3(double logp, double logpRef) {
        double d = logpRef - logp;
        return Math.exp(d) - d - 1;
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

    /** Per-target-position KL weights (S, L-1): beta / tokens on completion targets, 0 elsewhere. */
    public static float[] klWeights(List<Sample> samples, int length, long tokens, double beta) {
        float[] w = new float[samples.size() * (length - 1)];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int p = s.prompt().length;
            for (int j = 0; j < s.completion().length; j++) {
                w[i * (length - 1) + p - 1 + j] = (float) (beta / tokens);
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
     * The differentiable loss at temperature {@code temperature}. {@code weights} (S, L-1) must be a
     * tensor of {@code step} kept alive until after backward (DJL-NOTES: no Java numbers where gradients flow).
     */
    public static NDArray loss(NDManager step, Gpt2Model model, List<Sample> samples, int length, double temperature, NDArray weights) {
        return loss(step, model, samples, length, temperature, weights, null, null).loss();
    }

    /**
     * The loss with the KL penalty: {@code refLogp} (S, L-1) from {@link #logProbs} of the reference
     * policy at the same temperature (no gradient) and {@code klWeights} (S, L-1), beta / tokens on
     * completion targets and 0 elsewhere ({@link #klWeights}), both kept alive until after
     * backward; null for none.
     */
    public static Terms loss(NDManager step, Gpt2Model model, List<Sample> samples, int length, double temperature,
            NDArray weights, NDArray refLogp, NDArray klWeights) {
        NDArray logp = logProbs(step, model, samples, length, temperature, true);           // (S, L-1)
        NDArray pg = logp.mul(weights).sum().neg();
        if (refLogp == null) {
            return new Terms(pg, step.zeros(new Shape()));
        }
        NDArray d = refLogp.sub(logp);                                                     // log pi_ref - log pi
        NDArray k3 = d.exp().sub(d);                                                       // k3 + 1 (the -1 is taken once below)
        NDArray penalty = k3.mul(klWeights).sum().sub(klWeights.sum());                    // beta * mean k3 over completion tokens
        return new Terms(pg.add(penalty), penalty.stopGradient());
    }

    /** log pi_T(target | prefix) at every position (S, L-1), with gradient when {@code training}. */
    public static NDArray logProbs(NDManager step, Gpt2Model model, List<Sample> samples, int length, double temperature,
            boolean training) {
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
        NDArray hidden = training ? model.hidden(step, inputs) : model.hiddenForScoring(step, inputs); // (S, L-1, C)
        return tokenLogProbs(step, model.logits(step, hidden), targets, temperature);      // (S, L-1)
    }

    /**
     * log softmax(logits / T) at the targets: logits (S, L, V), targets (S, L) int64 -> (S, L). The
     * factor 1/T is a tensor of {@code step} (alive until after backward); T = 1 skips the op.
     */
    static NDArray tokenLogProbs(NDManager step, NDArray logits, NDArray targets, double temperature) {
        NDArray scaled = temperature == 1.0 ? logits : logits.mul(step.create((float) (1.0 / temperature))); // (S, L, V)
        NDArray logp = scaled.logSoftmax(-1);                                              // (S, L, V)
        return logp.gather(targets.expandDims(-1), -1).squeeze(-1);                        // (S, L)
    }
}
