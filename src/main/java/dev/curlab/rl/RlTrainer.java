package dev.curlab.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Tokenizers;
import dev.curlab.eval.PassCost;
import dev.curlab.interop.ModelCheckpoints;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.Gradients;
import dev.curlab.run.Cadence;
import dev.curlab.run.MetricsLog;
import dev.curlab.run.RunDirectory;
import dev.curlab.run.RunListener;
import dev.curlab.run.RunLoop;
import dev.curlab.run.StopSignal;
import dev.curlab.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RL post-training loop, a peer of the pretraining {@code Trainer}: each step draws N candidate
 * problems, lets the curator pick B, samples G completions of each from the current policy, verifies
 * them, takes one GRPO policy-gradient step and tells the curator how it went; every
 * {@code --eval-every} steps it measures greedy pass@1 on the fixed held-out set (with
 * {@code --pass-k}, also sampled pass@k). It shares the run skeleton of {@code dev.curlab.run} with
 * pretraining: the run directory and its lock, the checkpoint store, the metrics log, the listener
 * and the cadence ({@link RunLoop}); beside the step sit its ledger ({@link RlStepAccounting}), its
 * evaluation ({@link RlEvaluation}), the curator's probes ({@link RlPolicyProbe}) and its checkpoints
 * ({@link RlCheckpoints}).
 * With {@code --kl-coef} beta > 0 the update adds beta times the k3 KL estimate to a frozen copy of
 * the starting policy (the reference). One update per batch (so no importance ratio).
 */
public final class RlTrainer implements AutoCloseable {
    private final RlConfig cfg;
    private final RunDirectory<RlConfig> run;
    private final RunListener listener;
    private final StopSignal stop;
    private final Tokenizer tokenizer;
    private final Gpt2Model model;
    private final Gpt2Model reference;              // frozen starting policy of the KL penalty (null when --kl-coef 0)
    private final Sampler sampler;
    private final ProblemBank bank;
    private final Verifier verifier;
    private final Curator curator;
    private final AdamW optimizer;
    private final PassCost cost;                    // what a pass of the policy costs (eval/PassCost)
    private final Rng sampleRng;
    private final Rng curatorRng;
    private RlCounters state = new RlCounters();   // the compute ledger (a resume takes its checkpoint's)
    private final RlCheckpoints checkpoints;
    private final RlEvaluation evaluation;        // held-out pass@1 (and pass@k)
    private final RlStepAccounting accounting;    // the step's ledger and metrics line, beside the algorithm
    private final MetricsLog metrics;

    RlTrainer(RlConfig cfg, RunDirectory<RlConfig> run, RunListener listener, StopSignal stop, boolean resume) {
        this.cfg = cfg;
        this.run = run;
        this.listener = listener;
        this.stop = stop;
        this.bank = Banks.open(cfg, cfg.seed());                              // a bad bank fails before anything is written
        this.verifier = new Verifier(cfg.verifier(), cfg.tolerance(), cfg.answerFormat());
        ModelCheckpoints.Loaded init = resume ? ModelCheckpoints.open(run.dir(), "--resume", listener::warning)
                : cfg.initFrom() != null ? ModelCheckpoints.open(Path.of(cfg.initFrom()), "--init-from", listener::warning) : null;
        this.tokenizer = init != null && init.tokenizer() != null ? Tokenizers.byName(init.tokenizer()) : new ByteTokenizer();
        this.model = init != null ? init.model()
                : new Gpt2Model(GptConfig.preset(cfg.model(), cfg.context(), tokenizer.vocabSize()), cfg.seed());
        GptConfig shape = model.config();
        bank.checkFits(tokenizer, shape.context());                           // every prompt leaves room for an answer
        this.reference = cfg.klCoef() > 0 ? new Gpt2Model(shape, cfg.seed()) : null;
        if (reference != null) {
            reference.copyFrom(model);                                         // a resume overwrites it with the checkpoint's
        }
        this.cost = PassCost.of(shape.layers(), shape.dModel(), shape.context(), shape.vocab());
        this.sampler = new Sampler(model, tokenizer, StopRule.parse(cfg.stop()));
        this.optimizer = new AdamW(model.manager(), 0.9, 0.95, 1e-8, 0.0);
        optimizer.prepare(model.parameters());
        this.sampleRng = Rng.derive(cfg.seed(), "rl/sample");
        this.curatorRng = Rng.derive(cfg.seed(), "rl/curator");
        RlPolicyProbe probe = new RlPolicyProbe(cfg, model, sampler, verifier, new PolicyScorer(model, tokenizer, sampler), curatorRng,
                () -> state);
        this.curator = Curators.create(cfg, bank, probe, probe::promptRows);
        this.evaluation = new RlEvaluation(cfg, bank, sampler, verifier, model, cost);
        this.accounting = new RlStepAccounting(cfg, cost, reference != null, curator);
        this.checkpoints = new RlCheckpoints(run, model, reference, optimizer, curator, tokenizer);
        long metricsBytes = 0;
        if (resume) {
            RlRuns.Recorded rec = RlRuns.recorded(run.dir());
            RlState st = checkpoints.restore(rec.shape(), rec.tokenizer(), listener::warning);
            state = st.counters();
            sampleRng.setState(st.sampleRng());
            curatorRng.setState(st.curatorRng());
            metricsBytes = st.metricsBytes();
            bank.skipTo(state.bankPosition);
        } else {
            run.materialize();
            run.writeConfig(resolved());
        }
        this.metrics = new MetricsLog(run.metricsFile(), metricsBytes, "rl");
    }

    public RlConfig config() {
        return cfg;
    }

    /** Steps completed (after a resume: the checkpoint's). */
    public long stepsDone() {
        return state.step;
    }

    public RunDirectory<RlConfig> runDirectory() {
        return run;
    }

    /** How a run ended. */
    public record Result(long steps, double accuracy, boolean stopped, Path checkpoint) {
    }

    /** Runs the remaining steps; returns early (with a checkpoint) when a stop is requested. */
    public Result run() {
        RunListener.Started start = new RunListener.Started(cfg, resolved(), state.step, cfg.steps(), cfg.evalEvery());
        RunLoop.Outcome o = RunLoop.run(new Cadence(cfg.steps(), cfg.evalEvery(), cfg.checkpointEvery()), start, new RunLoop.Body() {
            public long stepsDone() {
                return state.step;
            }

            public void step() {
                rlStep();
            }

            public void evaluate() {
                RlTrainer.this.evaluate();
            }

            public Path checkpoint() {
                state.bankPosition = bank.position();
                return checkpoints.write(state, sampleRng, curatorRng, metrics);
            }

            public double latestEval() {
                return state.accuracy;
            }

            public String finalEval() {
                return "held-out accuracy " + state.accuracy;
            }
        }, run, listener, stop);
        return new Result(o.steps(), state.accuracy, o.stopped(), o.checkpoint());
    }

    // ----------------------------------------------------------------------------------------------
    // One RL step (steps 1-5; step 6 is evaluate())
    // ----------------------------------------------------------------------------------------------

    /** One problem's group of G rollouts: prompt and completion tokens, rewards and successes (acc = reward >= 1). */
    record Group(Problem problem, int[] prompt, List<int[]> completions, double[] rewards, int successes) {
    }

    /** One generation round: its groups, its sampling forward tokens, completion tokens and the curator's pick time. */
    record Round(List<Group> groups, long forwardTokens, long completionTokens, long pickNanos) {
    }

    /**
     * One step: rounds of 1. draw N candidates, 2. the curator picks, 3. G rollouts of each pick,
     * verified, 4. the curator's filter keeps groups, until B groups are kept or its rounds are spent
     * (one round for most curators); then 5. the GRPO update on the first B kept groups (zero-variance
     * ones carry no signal) and 6. the curator observes every round's outcome.
     */
    private void rlStep() {
        long t0 = System.nanoTime();
        GroupFilter filter = curator.filter();
        long curatorTokensBefore = state.curatorForwardTokens;
        long probeTokensBefore = state.probeForwardTokens;
        List<Round> rounds = new ArrayList<>();
        List<Group> kept = new ArrayList<>();
        try (NDManager sm = model.manager().newSubManager()) {
            do {
                Round round = generateRound(sm, filter.promptsPerRound(cfg.batch()));  // 1-3. candidates, picks, G rollouts each
                rounds.add(round);
                for (Group g : round.groups()) {
                    if (filter.keep(g.successes(), cfg.group())) {
                        kept.add(g);                                                // 4. the filter keeps the group, or drops it
                    }
                }
            } while (kept.size() < cfg.batch() && rounds.size() < filter.maxRounds());
            List<Group> batch = kept.subList(0, Math.min(kept.size(), cfg.batch()));
            long t2 = System.nanoTime();
            RlStepOutcome out = outcome(batch);                                     // 5. GRPO advantages; zero-variance groups add nothing
            double[] lossAndNorm = update(sm, out.samples());                       //    policy-gradient step (+ KL), clipped
            long t3 = System.nanoTime();
            for (Round round : rounds) {                                            // 6. the curator observes every round
                List<Group> gs = round.groups();
                curator.observe(gs.stream().map(Group::problem).toList(), gs.stream().mapToInt(Group::successes).toArray(), cfg.group());
            }
            long t4 = System.nanoTime();
            long pickNanos = rounds.stream().mapToLong(Round::pickNanos).sum();
            Map<String, Object> line = accounting.record(state, rounds, batch, out, lossAndNorm, curatorTokensBefore, probeTokensBefore,
                    new long[] {pickNanos, t2 - t0 - pickNanos, t3 - t2, t4 - t3});
            metrics.write(line);
            listener.step(new RunListener.Stepped(state.step, cfg.steps(), (double) line.get("reward_mean"), state.accuracy));
        }
    }

    /** Steps 1-3 of one round: N fresh candidates, the curator's {@code perRound} picks, G verified rollouts of each. */
    private Round generateRound(NDManager sm, int perRound) {
        long t0 = System.nanoTime();
        List<Problem> candidates = new ArrayList<>(cfg.candidates());
        for (int i = 0; i < cfg.candidates(); i++) {
            candidates.add(bank.next());                                            // 1. draw N candidate problems
        }
        int[] pick = curator.pick(state.step, candidates, perRound, curatorRng);   // 2. the curator picks (B, or more to filter)
        long pickNanos = System.nanoTime() - t0;
        List<int[]> prompts = new ArrayList<>();
        for (int i : pick) {
            int[] ids = sampler.encodePrompt(candidates.get(i).prompt());
            for (int j = 0; j < cfg.group(); j++) {
                prompts.add(ids);
            }
        }
        Sampler.Result gen = sampler.generate(sm, prompts, cfg.maxNew(), cfg.temperature(), sampleRng); // 3. G rollouts each
        List<Group> groups = new ArrayList<>(pick.length);
        long tokens = 0;
        for (int p = 0; p < pick.length; p++) {
            Problem problem = candidates.get(pick[p]);
            double[] acc = new double[cfg.group()];
            List<int[]> completions = new ArrayList<>(cfg.group());
            int successes = 0;
            for (int j = 0; j < cfg.group(); j++) {
                Sampler.Completion c = gen.completions().get(p * cfg.group() + j);
                acc[j] = verifier.acc(c.text(), problem.answer());                      //    verified: binary acc
                successes += acc[j] >= 1 ? 1 : 0;
                completions.add(c.tokens());
                tokens += c.tokens().length;
            }
            double[] rewards = acc;                                                 //    the policy's reward: acc (no shaped reward)
            groups.add(new Group(problem, prompts.get(p * cfg.group()), completions, rewards, successes));
        }
        return new Round(groups, gen.forwardTokens(), tokens, pickNanos);
    }

    /** GRPO advantages of the update's groups (each group's own G rewards). */
    private static RlStepOutcome outcome(List<Group> batch) {
        if (batch.isEmpty()) {
            return new RlStepOutcome(new double[0][], new int[0], 0, List.of(), new double[0][]); // a filter kept nothing: no update
        }
        double[][] rewards = new double[batch.size()][];
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Group g = batch.get(i);
            rewards[i] = g.rewards();
            for (int[] c : g.completions()) {
                prompts.add(g.prompt());
                completions.add(c);
            }
        }
        return RlStepOutcome.of(rewards, prompts, completions);
    }

    /** One AdamW step on the GRPO loss of {@code samples}; returns {loss, grad norm before clipping, mean k3 KL} (zeros when none carry signal). */
    private double[] update(NDManager sm, List<PolicyLoss.Sample> samples) {
        if (samples.isEmpty()) {
            return new double[] {0, 0, 0};
        }
        var params = model.parameters();
        Gradients.zero(params.values());
        int length = PolicyLoss.length(samples);
        long tokens = PolicyLoss.completionTokens(samples);
        NDArray w = sm.create(PolicyLoss.weights(samples, length, tokens)).reshape(samples.size(), length - 1); // alive until after backward
        NDArray refLogp = null;
        NDArray klw = null;
        if (reference != null) {
            refLogp = PolicyLoss.logProbs(sm, reference, samples, length, cfg.temperature(), false); // (S, L-1), no gradient
            klw = sm.create(PolicyLoss.klWeights(samples, length, tokens, cfg.klCoef())).reshape(samples.size(), length - 1);
        }
        double loss;
        double kl;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            PolicyLoss.Terms t = PolicyLoss.loss(sm, model, samples, length, cfg.temperature(), w, refLogp, klw); // pi at the rollouts' T
            gc.backward(t.loss());
            loss = t.loss().getFloat();
            kl = reference != null ? t.kl().getFloat() / cfg.klCoef() : 0;
        }
        double norm = Gradients.globalNorm(params.values());
        RlNonFinite.check(state.step + 1, "policy_loss", loss, run);            // a broken policy stops the run (exit 3)
        RlNonFinite.check(state.step + 1, "grad_norm", norm, run);
        Gradients.clip(params.values(), cfg.clip(), norm);
        optimizer.step(params, cfg.lr());
        RlNonFinite.check(state.step + 1, "policy weights (norm after the update)", RlNonFinite.weightNorm(params.values()), run);
        return new double[] {loss, norm, kl};
    }

    /** 6. Greedy pass@1 on the fixed held-out set (never shown to the curator), overall and per source; with --pass-k, sampled pass@k. */
    private void evaluate() {
        RlEvaluation.Measured e = evaluation.measure(state.step);
        state.accuracy = e.accuracy();
        Map<String, Object> line = RlStepAccounting.counters("eval", state);
        line.put("problems_used", state.problemsUsed);
        line.put("flops_total", state.flopsTotal());
        line.put("heldout_accuracy", state.accuracy);
        line.put("heldout_accuracy_by_source", e.bySource());
        line.put("heldout_examples", e.examples());
        String passAtK = "";
        if (e.passAtK() != null) {
            RlEvaluation.PassAtKResult r = e.passAtK();
            line.put("heldout_pass_at_k", r.estimate());
            line.put("heldout_pass_at_k_correct", r.problemsWithCorrect());
            line.put("heldout_pass_at_k_flops", r.flops());
            passAtK = String.format(java.util.Locale.ROOT, ", sampled pass@%d %.4f (n=%d)", cfg.passK(), r.estimate(), cfg.passKSamples());
        }
        metrics.write(line);
        run.log(String.format(java.util.Locale.ROOT, "step %d held-out pass@1 %.4f", state.step, state.accuracy) + passAtK);
        listener.evaluated(new RunListener.Evaluated(state.step, state.accuracy));
    }

    private Map<String, Object> resolved() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tokenizer", tokenizer.name());
        r.put("model", model.config().shapeMap());
        r.put("parameters", model.config().parameterCount());
        r.put("bank", bank.describe());
        r.put("curator", curator.settings());
        r.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        return r;
    }

    /** Live native arrays under the model's manager (parameters, optimizer state, step temporaries). */
    public int liveArrays() {
        return model.manager().getManagedArrays().size();
    }

    @Override
    public void close() {
        if (curator instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        metrics.close();
        model.close();
        if (reference != null) {
            reference.close();
        }
        run.close();
    }
}
