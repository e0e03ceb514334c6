package dev.curlab.rl;

import ai.djl.ndarray.NDManager;
import dev.curlab.model.Gpt2Model;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a curator may ask of the current policy: sampled success rates (probe rollouts, charged as
 * probes), prompts' hidden states and answers' log-probabilities (no-grad passes, charged to the
 * curator). Every forward token is added to the run's ledger ({@link RlCounters}).
 */
final class RlPolicyProbe implements Curator.Probe {
    private final RlConfig cfg;
    private final Gpt2Model model;
    private final Sampler sampler;
    private final Verifier verifier;
    private final PolicyScorer scorer;
    private final Rng curatorRng;
    private final Supplier<RlCounters> counters;   // the run's ledger (a resume replaces it)

    RlPolicyProbe(RlConfig cfg, Gpt2Model model, Sampler sampler, Verifier verifier, PolicyScorer scorer, Rng curatorRng,
            Supplier<RlCounters> counters) {
        this.cfg = cfg;
        this.model = model;
        this.sampler = sampler;
        this.verifier = verifier;
        this.scorer = scorer;
        this.curatorRng = curatorRng;
        this.counters = counters;
    }

    /** The curator's probe: sampled success rates with the current policy, its rollouts and forward tokens charged as probes. */
    @Override
    public double[] successRates(List<Problem> problems, int rollouts) {
        RlCounters state = counters.get();
        List<int[]> prompts = new ArrayList<>();
        for (Problem p : problems) {
            int[] ids = sampler.encodePrompt(p.prompt());
            for (int j = 0; j < rollouts; j++) {
                prompts.add(ids);
            }
        }
        double[] rates = new double[problems.size()];
        try (NDManager sm = model.manager().newSubManager()) {
            Sampler.Result gen = sampler.generate(sm, prompts, cfg.maxNew(), cfg.temperature(), curatorRng);
            state.probeForwardTokens += gen.forwardTokens();
            state.rolloutsProbe += prompts.size();
            for (int i = 0; i < prompts.size(); i++) {
                state.tokensProbe += gen.completions().get(i).tokens().length;
                rates[i / rollouts] += verifier.acc(gen.completions().get(i).text(), problems.get(i / rollouts).answer()) / rollouts;
            }
        }
        return rates;
    }

    @Override
    public float[] promptHidden(List<Problem> problems) {
        try (NDManager sm = model.manager().newSubManager()) {
            PolicyScorer.Pass<float[]> pass = scorer.promptHidden(sm, problems);
            counters.get().curatorForwardTokens += pass.forwardTokens();
            return pass.values();
        }
    }

    @Override
    public int hiddenDim() {
        return scorer.hiddenDim();
    }

    @Override
    public double[] answerLogProb(List<Problem> problems) {
        try (NDManager sm = model.manager().newSubManager()) {
            PolicyScorer.Pass<double[]> pass = scorer.answerLogProb(sm, problems);
            counters.get().curatorForwardTokens += pass.forwardTokens();
            return pass.values();
        }
    }

    /** The curator's view of prompts: last-token hidden states from one no-grad pass, charged to the curator. */
    float[][] promptRows(List<Problem> problems) {
        try (NDManager sm = model.manager().newSubManager()) {
            PolicyScorer.Pass<float[]> pass = scorer.promptHidden(sm, problems);
            counters.get().curatorForwardTokens += pass.forwardTokens();
            int c = scorer.hiddenDim();
            float[][] rows = new float[problems.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = java.util.Arrays.copyOfRange(pass.values(), i * c, (i + 1) * c);
            }
            return rows;
        }
    }
}
