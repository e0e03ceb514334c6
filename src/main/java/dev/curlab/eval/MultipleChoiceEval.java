package dev.curlab.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Gpt2Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Multiple-choice evaluation by log-likelihood, as lm-evaluation-harness does it: each choice is
 * scored as the summed log-probability of {@code delimiter + choice} after the context; {@code acc}
 * takes the argmax of that sum, {@code acc_norm} the argmax of the sum divided by the choice's
 * length in characters (Unicode code points, delimiter excluded). Contexts longer than the model's
 * context are left-truncated. Used by {@code curlab eval --task} and reusable by {@code compare}.
 */
public final class MultipleChoiceEval {

    /**
     * One question.
     *
     * @param context   the prompt
     * @param choices   the answers, without the delimiter
     * @param delimiter put between context and each choice (" " for HellaSwag and MMLU)
     * @param gold      index of the right choice
     * @param group     sub-task for per-group accuracy (MMLU subject), or null
     */
    public record Question(String context, List<String> choices, String delimiter, int gold, String group) {
    }

    /** Summed log-likelihoods of continuations after a context. */
    public interface Scorer {
        double[] logLikelihoods(String context, List<String> continuations);
    }

    /**
     * @param questions questions scored
     * @param acc       fraction right by summed log-likelihood
     * @param accNorm   fraction right by log-likelihood per character
     * @param accByGroup acc per group, in first-seen order (empty when questions have no group)
     */
    public record Result(long questions, double acc, double accNorm, Map<String, Double> accByGroup) {
    }

    private final Scorer scorer;

    public MultipleChoiceEval(Scorer scorer) {
        this.scorer = scorer;
    }

    /** Scores with a language model. */
    public static MultipleChoiceEval of(Gpt2Model model, Tokenizer tokenizer) {
        return new MultipleChoiceEval(new ModelScorer(model, tokenizer));
    }

    /** Evaluates every question; {@code progress} hears the count done. */
    public Result evaluate(List<Question> questions, IntConsumer progress) {
        long right = 0;
        long rightNorm = 0;
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (int q = 0; q < questions.size(); q++) {
            Question question = questions.get(q);
            List<String> continuations = new ArrayList<>();
            double[] lengths = new double[question.choices().size()];
            for (int i = 0; i < lengths.length; i++) {
                String c = question.choices().get(i);
                continuations.add(question.delimiter() + c);
                lengths[i] = c.codePointCount(0, c.length());
            }
            double[] ll = scorer.logLikelihoods(question.context(), continuations);
            boolean ok = argmax(ll) == question.gold();
            right += ok ? 1 : 0;
            rightNorm += argmax(normalise(ll, lengths)) == question.gold() ? 1 : 0;
            if (question.group() != null) {
                long[] g = groups.computeIfAbsent(question.group(), k -> new long[2]);
                g[0] += ok ? 1 : 0;
                g[1]++;
            }
            progress.accept(q + 1);
        }
        Map<String, Double> byGroup = new LinkedHashMap<>();
        groups.forEach((k, v) -> byGroup.put(k, (double) v[0] / v[1]));
        double n = questions.size();
        return new Result(questions.size(), right / n, rightNorm / n, byGroup);
    }

    /** Log-likelihood per character: ll_i / len_i. */
    static double[] normalise(double[] ll, double[] lengths) {
        double[] out = new double[ll.length];
        for (int i = 0; i < ll.length; i++) {
            out[i] = ll[i] / lengths[i];
        }
        return out;
    }

    /** Index of the largest value; the first one on ties (numpy's argmax). */
    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    // ----------------------------------------------------------------------------------------------
    // Scoring with the model
    // ----------------------------------------------------------------------------------------------

    /** lm-evaluation-harness's loglikelihood requests on a curlab model, the choices of one question in one batch. */
    static final class ModelScorer implements Scorer {
        private final Gpt2Model model;
        private final Tokenizer tokenizer;

        ModelScorer(Gpt2Model model, Tokenizer tokenizer) {
            this.model = model;
            this.tokenizer = tokenizer;
        }

        @Override
        public double[] logLikelihoods(String context, List<String> continuations) {
            int b = continuations.size();
            int[][] inputs = new int[b][];
            int[][] targets = new int[b][];
            int[] scored = new int[b];
            int longest = 0;
            for (int i = 0; i < b; i++) {
                int[][] pair = encodePair(context, continuations.get(i));
                int[] full = concat(pair[0], pair[1]);
                int keep = Math.min(full.length, model.config().context() + 1); // left-truncate to T + 1 tokens
                full = Arrays.copyOfRange(full, full.length - keep, full.length);
                inputs[i] = Arrays.copyOf(full, full.length - 1);
                targets[i] = Arrays.copyOfRange(full, 1, full.length);
                scored[i] = Math.min(pair[1].length, inputs[i].length);
                longest = Math.max(longest, inputs[i].length);
            }
            long[] ids = new long[b * longest];
            Arrays.fill(ids, tokenizer.endOfText()); // right padding: causal attention never looks at it
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < inputs[i].length; j++) {
                    ids[i * longest + j] = inputs[i][j];
                }
            }
            double[] ll = new double[b];
            try (NDManager step = model.manager().newSubManager()) {
                NDArray hidden = model.hidden(step, step.create(ids, new Shape(b, longest)));       // (B, L, C)
                for (int i = 0; i < b; i++) {
                    int to = inputs[i].length;
                    int from = to - scored[i];
                    NDArray h = hidden.get(new NDIndex(i + ", " + from + ":" + to)).expandDims(0);   // (1, n, C)
                    NDArray logp = model.logits(step, h).logSoftmax(-1).squeeze(0);                 // (n, V)
                    long[] tgt = new long[scored[i]];
                    for (int j = 0; j < tgt.length; j++) {
                        tgt[j] = targets[i][from + j];
                    }
                    NDArray picked = logp.gather(step.create(tgt, new Shape(tgt.length, 1)), -1);    // (n, 1)
                    ll[i] = picked.sum().getFloat();
                }
            }
            return ll;
        }

        /**
         * Context and continuation tokens as the harness cuts them: trailing spaces of the context move
         * to the continuation, the continuation is what encoding the whole adds after the context, and an
         * empty context is the end-of-text token.
         */
        int[][] encodePair(String context, String continuation) {
            if (context.isEmpty()) {
                return new int[][] {{tokenizer.endOfText()}, tokenizer.encode(continuation)};
            }
            int spaces = context.length() - context.stripTrailing().length();
            if (spaces > 0) {
                continuation = context.substring(context.length() - spaces) + continuation;
                context = context.substring(0, context.length() - spaces);
            }
            int[] whole = tokenizer.encode(context + continuation);
            int[] ctx = tokenizer.encode(context);
            return new int[][] {ctx, Arrays.copyOfRange(whole, Math.min(ctx.length, whole.length), whole.length)};
        }

        private static int[] concat(int[] a, int[] b) {
            int[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
