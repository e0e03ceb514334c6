package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Gpt2Model;
import java.util.ArrayList;
import java.util.List;

/**
 * No-grad passes of the current policy over problems, for curators that read the policy: the prompt's
 * last-token hidden state, and the teacher-forced log-probability of the reference answer. Sequences
 * are right-padded to the longest; each result says how many token positions it computed (for FLOPs).
 *
 * <p>Dimension letters: P problems, L padded length, C the policy's width, V its vocabulary.
 */
public final class PolicyScorer {
    private final Gpt2Model model;
    private final Tokenizer tokenizer;
    private final Sampler sampler;

    public PolicyScorer(Gpt2Model model, Tokenizer tokenizer, Sampler sampler) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.sampler = sampler;
    }

    /** Values computed by one pass, and the token positions it computed. */
    public record Pass<T>(T values, long forwardTokens) {
    }

    /** Width C of the hidden states. */
    public int hiddenDim() {
        return model.config().dModel();
    }

    /** The final-LayerNorm hidden state (P * C) at each prompt's last token, detached (the prompt as sampled). */
    public Pass<float[]> promptHidden(NDManager parent, List<Problem> problems) {
        List<int[]> seqs = new ArrayList<>();
        for (Problem p : problems) {
            seqs.add(clip(sampler.encodePrompt(p.prompt())));
        }
        int len = longest(seqs);
        int c = hiddenDim();
        long[] last = new long[seqs.size()];
        for (int i = 0; i < seqs.size(); i++) {
            last[i] = (long) i * len + seqs.get(i).length - 1;
        }
        try (NDManager sm = parent.newSubManager()) {
            NDArray ids = sm.create(padded(seqs, len), new Shape(seqs.size(), len));          // (P, L)
            NDArray h = model.hiddenForScoring(sm, ids).reshape(-1, c);                          // (P*L, C)
            float[] rows = h.get(new NDIndex("{}", sm.create(last))).toFloatArray();           // (P, C)
            return new Pass<>(rows, (long) seqs.size() * len);
        }
    }

    /**
     * Mean log pi(answer token | prompt, earlier answer tokens) over each problem's reference-answer
     * tokens (teacher-forced; the answer's own encoding appended to the prompt's).
     */
    public Pass<double[]> answerLogProb(NDManager parent, List<Problem> problems) {
        List<int[]> seqs = new ArrayList<>();
        int[] answerStart = new int[problems.size()];
        for (int i = 0; i < problems.size(); i++) {
            int[] prompt = sampler.encodePrompt(problems.get(i).prompt());
            int[] answer = tokenizer.encode(problems.get(i).answer());
            int[] full = new int[prompt.length + answer.length];
            System.arraycopy(prompt, 0, full, 0, prompt.length);
            System.arraycopy(answer, 0, full, prompt.length, answer.length);
            int[] kept = clip(full);
            answerStart[i] = Math.max(1, kept.length - answer.length);  // a clipped prompt loses its front
            seqs.add(kept);
        }
        int len = longest(seqs);
        int p = seqs.size();
        long[] targets = new long[p * (len - 1)];
        for (int i = 0; i < p; i++) {
            int[] s = seqs.get(i);
            for (int j = 0; j + 1 < s.length; j++) {
                targets[i * (len - 1) + j] = s[j + 1];
            }
        }
        float[] logp;
        try (NDManager sm = parent.newSubManager()) {
            long[] in = padded(seqs, len);
            NDArray ids = sm.create(in, new Shape(p, len)).get(":, :-1");                       // (P, L-1)
            NDArray h = model.hiddenForScoring(sm, ids);                                         // (P, L-1, C)
            NDArray lp = model.logits(sm, h).logSoftmax(-1);                                     // (P, L-1, V)
            NDArray t = sm.create(targets, new Shape(p, len - 1, 1));
            logp = lp.gather(t, -1).toFloatArray();                                              // (P * (L-1))
        }
        double[] out = new double[p];
        for (int i = 0; i < p; i++) {
            int n = seqs.get(i).length - answerStart[i];                                          // answer targets
            double sum = 0;
            for (int j = answerStart[i] - 1; j < seqs.get(i).length - 1; j++) {
                sum += logp[i * (len - 1) + j];                                                   // target j+1 read at j
            }
            out[i] = n > 0 ? sum / n : 0;
        }
        return new Pass<>(out, (long) p * (len - 1));
    }

    /** The last {@code context} tokens of a sequence longer than the policy's context. */
    private int[] clip(int[] ids) {
        int context = model.config().context();
        return ids.length <= context ? ids : java.util.Arrays.copyOfRange(ids, ids.length - context, ids.length);
    }

    private static int longest(List<int[]> seqs) {
        int len = 1;
        for (int[] s : seqs) {
            len = Math.max(len, s.length);
        }
        return len;
    }

    private static long[] padded(List<int[]> seqs, int len) {
        long[] out = new long[seqs.size() * len];
        for (int i = 0; i < seqs.size(); i++) {
            int[] s = seqs.get(i);
            for (int j = 0; j < s.length; j++) {
                out[i * len + j] = s[j];
            }
        }
        return out;
    }
}
