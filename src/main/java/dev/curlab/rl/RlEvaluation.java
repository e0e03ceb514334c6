package dev.curlab.rl;

import ai.djl.ndarray.NDManager;
import dev.curlab.eval.PassCost;
import dev.curlab.model.Gpt2Model;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 6 of the RL loop: greedy pass@1 on the fixed held-out set (never shown to the curator),
 * overall and per source, with the first few completions shown; with {@code --pass-k}, sampled pass@k.
 */
final class RlEvaluation {
    private static final int EXAMPLES = 4; // held-out prompts shown with their greedy completion in each eval line
    private final RlConfig cfg;
    private final ProblemBank bank;
    private final Sampler sampler;
    private final Verifier verifier;
    private final Gpt2Model model;
    private final PassCost cost;

    RlEvaluation(RlConfig cfg, ProblemBank bank, Sampler sampler, Verifier verifier, Gpt2Model model, PassCost cost) {
        this.cfg = cfg;
        this.bank = bank;
        this.sampler = sampler;
        this.verifier = verifier;
        this.model = model;
        this.cost = cost;
    }

    /** One evaluation: pass@1, pass@1 by source, the examples shown, and sampled pass@k (null without --pass-k). */
    record Measured(double accuracy, Map<String, Object> bySource, List<String> examples, PassAtKResult passAtK) {
    }

    /** pass@k of one evaluation, the histogram of correct counts it came from (index c: problems with c of n correct) and its FLOPs. */
    record PassAtKResult(double estimate, long[] problemsWithCorrect, double flops) {
    }

    /** The evaluation at {@code step} (the step seeds pass@k's generator). */
    Measured measure(long step) {
        List<Problem> held = bank.heldout();
        List<int[]> prompts = new ArrayList<>();
        for (Problem p : held) {
            prompts.add(sampler.encodePrompt(p.prompt()));
        }
        Map<String, double[]> bySource = new java.util.TreeMap<>();
        List<String> examples = new ArrayList<>();
        double right = 0;
        try (NDManager sm = model.manager().newSubManager()) {
            Sampler.Result gen = sampler.generate(sm, prompts, cfg.maxNew(), 0, null);
            for (int i = 0; i < held.size(); i++) {
                if (i < EXAMPLES) {
                    examples.add(held.get(i).prompt() + gen.completions().get(i).text());
                }
                double r = verifier.acc(gen.completions().get(i).text(), held.get(i).answer());
                right += r;
                double[] s = bySource.computeIfAbsent(String.valueOf(held.get(i).source()), x -> new double[2]);
                s[0] += r;
                s[1]++;
            }
        }
        Map<String, Object> per = new LinkedHashMap<>();
        bySource.forEach((k, v) -> per.put(k, v[0] / v[1]));
        return new Measured(right / held.size(), per, examples, cfg.passK() > 0 ? passAtK(held, prompts, step) : null);
    }

    /**
     * Sampled pass@k on the held-out set: n completions of every problem at the rollout temperature,
     * then the unbiased estimator ({@link PassAtK}). The generator is derived from (seed, step) alone,
     * so it needs no checkpoint and draws nothing from the training streams: turning pass@k on leaves
     * the training trajectory as it was. Its FLOPs are evaluation's, outside {@code flops_total}
     * like the greedy pass's. Sampled in n passes over the held-out set, each the size of the greedy one.
     */
    private PassAtKResult passAtK(List<Problem> held, List<int[]> prompts, long step) {
        int n = cfg.passKSamples();
        Rng rng = Rng.derive(cfg.seed(), "rl/eval/pass-at-k/step-" + step);
        int[] correct = new int[held.size()];
        long forwardTokens = 0;
        for (int j = 0; j < n; j++) {
            try (NDManager sm = model.manager().newSubManager()) {
                Sampler.Result gen = sampler.generate(sm, prompts, cfg.maxNew(), cfg.temperature(), rng);
                forwardTokens += gen.forwardTokens();
                for (int i = 0; i < held.size(); i++) {
                    if (verifier.acc(gen.completions().get(i).text(), held.get(i).answer()) > 0) {
                        correct[i]++;
                    }
                }
            }
        }
        long[] hist = new long[n + 1];
        for (int c : correct) {
            hist[c]++;
        }
        return new PassAtKResult(PassAtK.mean(hist, cfg.passK()), hist, cost.forward(forwardTokens));
    }
}
