package dev.curlab.rl;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched generation from the policy: a key/value cache by default ({@link CachedDecoder}), or the
 * full prefix recomputed at every token ({@link NaiveDecoder}, the reference). A row stops by its
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

    /**
     * Generates one completion per prompt with a key/value cache ({@link CachedDecoder});
     * {@code temperature <= 0} decodes greedily (then {@code rng} is unused).
     */
    public Result generate(NDManager parent, List<int[]> prompts, int maxNew, double temperature, Rng rng) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        try (Decoder d = new CachedDecoder(model, parent, longest + maxNew)) {
            return generate(d, prompts, maxNew, temperature, rng);
        }
    }

    /** The same, recomputing every prefix in full at each token ({@link NaiveDecoder}): the reference, and the benchmark's baseline. */
    public Result generateNaive(NDManager parent, List<int[]> prompts, int maxNew, double temperature, Rng rng) {
        try (Decoder d = new NaiveDecoder(model, parent)) {
            return generate(d, prompts, maxNew, temperature, rng);
        }
    }

    /** The generation loop, the same whatever the decoder: rows draw in ascending order at each step. */
    private Result generate(Decoder decoder, List<int[]> prompts, int maxNew, double temperature, Rng rng) {
        int b = prompts.size();
        int context = model.config().context();
        int[][] seq = new int[b][];
        int[] length = new int[b];
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            seq[i] = Arrays.copyOf(prompts.get(i), prompts.get(i).length + maxNew);
            length[i] = prompts.get(i).length;
            done[i] = length[i] >= context;
        }
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
            float[][] logits = decoder.next(active, seq, length);
            for (int a = 0; a < active.size(); a++) {
                int i = active.get(a);
                int id = temperature <= 0 ? argmax(logits[a]) : sample(logits[a], temperature, rng);
                seq[i][length[i]++] = id;
                int p = prompts.get(i).length;
                done[i] = length[i] >= context || ends(Arrays.copyOfRange(seq[i], p, length[i]));
            }
        }
        List<Completion> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int[] ids = Arrays.copyOfRange(seq[i], prompts.get(i).length, length[i]);
            out.add(new Completion(ids, text(ids)));
        }
        return new Result(out, decoder.forwardTokens());
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
