package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched generation from the policy, without a KV cache: each new token recomputes the whole
 * (right-padded) prefix, which is cheap for tiny models and exact under the causal mask (a row's
 * logits at its last real position do not see the padding after it). A row stops by its
 * {@link StopRule} (by default at end-of-text or a token whose text holds a newline), after
 * {@code maxNew} tokens, or at the model's context.
 * Sampling is seeded through a Java generator; temperature 0 is greedy decoding.
 */
public final class Sampler {
    private final Gpt2Model model;
    private final Tokenizer tokenizer;
    private final StopRule rule;
    private final boolean[] stop;   // tokens that end a completion (left out of its text)

    /** A sampler whose completions end at end-of-text or a newline ({@link StopRule#newline}). */
    public Sampler(Gpt2Model model, Tokenizer tokenizer) {
        this(model, tokenizer, StopRule.newline());
    }

    public Sampler(Gpt2Model model, Tokenizer tokenizer, StopRule rule) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.rule = rule;
        this.stop = new boolean[tokenizer.vocabSize()];
        for (int id = 0; id < stop.length; id++) {
            stop[id] = id == tokenizer.endOfText() || rule.atNewline() && tokenizer.decode(new int[] {id}).indexOf('\n') >= 0;
        }
    }

    /**
     * A completion: the generated ids (the stop token included, so the update teaches stopping) and
     * its text without the stop token.
     */
    public record Completion(int[] tokens, String text) {
    }

    /** The completions in prompt order, and the token positions the forward passes computed (for FLOPs). */
    public record Result(List<Completion> completions, long forwardTokens) {
    }

    /** The prompt's ids as the model reads them: end-of-text (a document boundary), then the text. */
    public int[] encodePrompt(String prompt) {
        int[] body = tokenizer.encode(prompt);
        int[] ids = new int[body.length + 1];
        ids[0] = tokenizer.endOfText();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    /** Generates one completion per prompt; {@code temperature <= 0} decodes greedily (then {@code rng} is unused). */
    public Result generate(NDManager parent, List<int[]> prompts, int maxNew, double temperature, Rng rng) {
        int b = prompts.size();
        int context = model.config().context();
        int[][] seq = new int[b][];
        int[] generated = new int[b];
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            seq[i] = Arrays.copyOf(prompts.get(i), prompts.get(i).length + maxNew);
            done[i] = prompts.get(i).length >= context;
        }
        long forwardTokens = 0;
        for (int t = 0; t < maxNew; t++) {
            List<Integer> active = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                if (!done[i]) {
                    active.add(i);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            float[][] logits = lastLogits(parent, seq, prompts, generated, active);
            forwardTokens += (long) active.size() * logits[logits.length - 1].length; // rows x padded length
            for (int a = 0; a < active.size(); a++) {
                int i = active.get(a);
                int id = temperature <= 0 ? argmax(logits[a]) : sample(logits[a], temperature, rng);
                seq[i][prompts.get(i).length + generated[i]++] = id;
                int p = prompts.get(i).length;
                done[i] = p + generated[i] >= context || ends(Arrays.copyOfRange(seq[i], p, p + generated[i]));
            }
        }
        List<Completion> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int p = prompts.get(i).length;
            int[] ids = Arrays.copyOfRange(seq[i], p, p + generated[i]);
            out.add(new Completion(ids, text(ids)));
        }
        return new Result(out, forwardTokens);
    }

    /** Whether the completion so far ends by the stop rule: at a stop token, or once its text holds the stop string. */
    boolean ends(int[] completion) {
        int n = completion.length;
        return n > 0 && stop[completion[n - 1]] || rule.text() != null && rule.cut(tokenizer.decode(completion)) >= 0;
    }

    /** A completion's text: without a final stop token, cut before the stop string. */
    String text(int[] completion) {
        int n = completion.length;
        String text = tokenizer.decode(n > 0 && stop[completion[n - 1]] ? Arrays.copyOf(completion, n - 1) : completion);
        int cut = rule.cut(text);
        return cut >= 0 ? text.substring(0, cut) : text;
    }

    /**
     * Logits (V) at each active row's last position; the last element of the returned array is a
     * one-element-per-position marker whose length is the padded length L (for the FLOP count).
     */
    private float[][] lastLogits(NDManager parent, int[][] seq, List<int[]> prompts, int[] generated, List<Integer> active) {
        int n = active.size();
        int len = 0;
        for (int i : active) {
            len = Math.max(len, prompts.get(i).length + generated[i]);
        }
        long[] ids = new long[n * len];
        long[] last = new long[n];
        for (int a = 0; a < n; a++) {
            int i = active.get(a);
            int li = prompts.get(i).length + generated[i];
            for (int j = 0; j < li; j++) {
                ids[a * len + j] = seq[i][j];
            }
            last[a] = (long) a * len + li - 1;
        }
        int vocab = model.config().vocab();
        float[][] out = new float[n + 1][];
        try (NDManager sm = parent.newSubManager()) {
            NDArray x = sm.create(ids, new Shape(n, len));
            NDArray h = model.hiddenForScoring(sm, x).reshape(-1, model.config().dModel());     // (n*L, C)
            NDArray rows = h.get(new NDIndex("{}", sm.create(last)));                       // (n, C)
            float[] flat = model.logits(sm, rows).toFloatArray();                           // (n, V)
            for (int a = 0; a < n; a++) {
                out[a] = Arrays.copyOfRange(flat, a * vocab, (a + 1) * vocab);
            }
        }
        out[n] = new float[len];
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * pi_T = softmax(logits / T), the distribution a rollout token is drawn from ({@link #sample});
     * the loss scores tokens under the same pi_T ({@link PolicyLoss#logProbs} at the rollouts' temperature).
     */
    static double[] probabilities(float[] logits, double temperature) {
        double[] w = weights(logits, temperature);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** exp((logits - max) / T): pi_T up to its normaliser. */
    private static double[] weights(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] w = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            w[i] = Math.exp((logits[i] - max) / temperature);
        }
        return w;
    }

    /** One draw from pi_T = softmax(logits / temperature). */
    static int sample(float[] logits, double temperature, Rng rng) {
        double[] w = weights(logits, temperature);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u < 0) {
                return i;
            }
        }
        return w.length - 1;
    }
}
