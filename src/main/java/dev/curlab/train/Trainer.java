package dev.curlab.train;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.PrefetchingDataSource;
import dev.curlab.data.Role;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.StepScores;
import dev.curlab.model.WindowScorer;
import dev.curlab.model.WindowScores;
import dev.curlab.model.hf.HfGpt2;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.GradientStep;
import dev.curlab.optim.Optimizer;
import dev.curlab.optim.Sgd;
import dev.curlab.run.Cadence;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.MetricsLog;
import dev.curlab.run.RunDirectory;
import dev.curlab.run.RunKind;
import dev.curlab.run.RunListener;
import dev.curlab.run.RunLoop;
import dev.curlab.run.StopSignal;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training loop: each step draws N fresh candidates, scores them in one no-grad pass, lets the
 * selector learn from the pending transition and choose, takes the LM update, measures the reward on
 * a fresh held-out subset and hands it back (Algorithm 1). The cadence of evaluations, checkpoints
 * and stops is the shared {@link RunLoop}'s; beside the step sit its accounting ({@link StepAccounting}),
 * its evaluation ({@link TrainEvaluation}), its checkpoints ({@link TrainCheckpoints}) and what the run
 * resolves before it starts ({@link TrainSetup}).
 */
public final class Trainer implements AutoCloseable {
    /** A pretraining run's kind: its config.json holds a {@link TrainConfig} (told by its "selector"). */
    public static final RunKind<TrainConfig> KIND = new RunKind<>("a pretraining run", TrainConfig.class, "selector",
            "resume it with curlab rl --resume");
    private TrainConfig cfg;    // as given, with --budget-flops resolved to the steps it affords (set once, in the constructor)
    private final RunDirectory<TrainConfig> run;
    private final RunListener listener;
    private final StopSignal stop;
    private boolean lastMeasured;           // whether the last step ran the updated model (its reward pass)
    private List<int[]> lastSubset = List.of();
    private final Tokenizer tokenizer;
    private final Gpt2Model model;
    private final WindowScorer scorer;
    private final DataSource stream;
    private final HeldoutData heldout;
    private final Selector selector;
    private final Optimizer optimizer;
    private final GradientStep update;
    private final RewardFunction reward;
    private final TrainEvaluation evaluation;     // held-out eval loss and downstream accuracy
    private final LrSchedule schedule;
    private final String rewardKind;
    private final boolean pairedReward;
    private final boolean needsScores;  // the selector reads the scoring pass (scores, entropy or alignment)
    private final boolean needsHiddenOnly;  // the selector reads only hidden states: the scoring pass skips the head
    private final boolean needsReward;  // the selector reads every step's reward (else: measured on eval steps only)
    private final TrainCheckpoints checkpoints;
    private final StepAccounting accounting;  // the step's timings and metrics line, beside the algorithm
    private final MetricsLog metrics;
    private long step;          // steps completed
    private long examples;      // examples trained on
    private long candidatesSeen;
    private long nonfiniteSkips;
    private double lastEvalLoss = Double.NaN;

    private Trainer(RunDirectory<TrainConfig> run, RunListener listener, StopSignal stop, boolean resume, long steps) {
        this.cfg = steps > 0 && steps != run.config().steps() ? run.config().continuedTo(steps) : run.config();
        this.run = run;
        this.listener = listener;
        this.stop = stop;
        this.tokenizer = DataSpecs.tokenizerFor(cfg.data(), cfg.tokenizer());
        GptConfig shape = GptConfig.preset(cfg.model(), cfg.context(), tokenizer.vocabSize());
        MemoryBudget.require(cfg, shape);                                       // refuse what cannot fit, before allocating
        this.heldout = HeldoutData.load(cfg, tokenizer);
        this.stream = new PrefetchingDataSource(                                // read ahead on a background thread
                DataSpecs.open(cfg.data(), tokenizer, cfg.context(), cfg.seed(), Role.TRAIN, cfg.shuffleBuffer()), 4 * cfg.candidates());
        this.model = new Gpt2Model(shape, cfg.seed());
        if (!resume && cfg.initFrom() != null) { // a resumed run reads its own checkpoint
            HfGpt2.load(Path.of(cfg.initFrom()), model, "--init-from " + cfg.initFrom());
        }
        this.scorer = new WindowScorer(model);
        this.optimizer = cfg.optimizer() == TrainConfig.LmOptimizer.SGD ? new Sgd()
                : new AdamW(model.manager(), 0.9, 0.95, 1e-8, cfg.weightDecay());
        if (optimizer instanceof AdamW a) {
            a.prepare(model.parameters());
        }
        this.update = new GradientStep(scorer, optimizer, cfg.clip(), cfg.microbatch());
        this.reward = new RewardFunction(heldout.reward(), cfg.heldoutBatch(), Rng.derive(cfg.seed(), "heldout-subset"));
        Selector chosen = createSelector(shape);
        this.rewardKind = cfg.reward() == TrainConfig.Reward.AUTO ? chosen.rewardKind() : cfg.reward().spelling();
        if (cfg.budgetFlops() > 0) {    // the steps the budget affords: the selector's horizon and the LR schedule's
            long k = TrainSetup.affordableSteps(cfg, StepCost.of(cfg, shape, chosen, rewardKind.equals("paired-delta")));
            if (k != cfg.steps()) {
                chosen.close();
                cfg = cfg.toBuilder().steps(k).build();
                chosen = createSelector(shape);
            }
        }
        this.selector = chosen;
        this.schedule = cfg.lrScheduleObject();
        this.pairedReward = rewardKind.equals("paired-delta");
        this.needsScores = selector.needs().contains(Selector.Need.SCORES) || selector.needsEntropy() || selector.needsAlignment()
                || selector.needsGram();
        this.needsHiddenOnly = !needsScores && selector.needs().contains(Selector.Need.HIDDEN);
        this.needsReward = selector.needs().contains(Selector.Need.REWARD);
        this.evaluation = new TrainEvaluation(cfg, model, scorer, tokenizer, heldout);
        this.checkpoints = new TrainCheckpoints(run, model, optimizer, selector, tokenizer);
        this.accounting = new StepAccounting(cfg, tokenizer, needsScores, needsHiddenOnly, pairedReward, selector.needsAlignment(),
                selector.needsGram());
        long metricsBytes = 0;
        if (resume) {
            metricsBytes = restore();
            if (cfg != run.config()) {
                continueTo(shape);
            }
        } else {
            try (DataSource peek = DataSpecs.open(cfg.data(), tokenizer, cfg.context(), cfg.seed(), Role.TRAIN, cfg.shuffleBuffer())) {
                List<Window> first = new ArrayList<>();
                for (int i = 0; i < cfg.candidates(); i++) {
                    first.add(peek.next());
                }
                TrainSetup.requireLabels(selector, cfg, first); // a selector's missing labels are reported before anything is written
            }
            run.materialize(); // only now, with every option and data file checked
            run.writeConfig(resolved(shape));
        }
        this.metrics = new MetricsLog(run.metricsFile(), metricsBytes, "train");
    }

    private Selector createSelector(GptConfig shape) {
        return Selectors.create(cfg.selector(), new SelectorContext(cfg.seed(), cfg.candidates(),
                shape.dModel(), cfg.horizon(), model.manager(), cfg.selectorSettings(), TrainSetup.targetShares(heldout.reward()),
                shape, heldout.reward(), TrainSetup.trainValues(cfg)));
    }

    /**
     * Starts a new run in {@code out}. With {@code overwrite}, a run already there is kept until the new
     * one has written its first checkpoint (the new one is written beside it until then).
     */
    public static Trainer start(TrainConfig cfg, Path out, boolean overwrite, RunListener listener, StopSignal stop) {
        return open(RunDirectory.create(out, cfg, overwrite), listener, stop, false, 0);
    }

    /** The config saved in {@code dir}/config.json; an RL run there is refused. */
    public static TrainConfig savedConfig(Path dir) {
        return RunDirectory.savedConfig(dir, KIND);
    }

    /** Resumes the run in {@code dir} from its newest intact checkpoint. */
    public static Trainer resume(Path dir, RunListener listener, StopSignal stop) {
        return resume(dir, 0, listener, stop);
    }

    /**
     * Resumes the run in {@code dir} and continues it to {@code steps} in all (0 = its saved steps). More
     * steps than planned continue a finished run; its LR schedule is not stretched (see {@link TrainConfig#horizon()}).
     */
    public static Trainer resume(Path dir, long steps, RunListener listener, StopSignal stop) {
        return open(RunDirectory.open(dir, KIND), listener, stop, true, steps);
    }

    private static Trainer open(RunDirectory<TrainConfig> run, RunListener listener, StopSignal stop, boolean resume, long steps) {
        try {
            return new Trainer(run, listener, stop, resume, steps);
        } catch (RuntimeException | Error e) {
            run.close(); // the lock, and a staging directory that never got a checkpoint
            throw e;
        }
    }

    /** Checks and records a resumed run's new step count (config.json says what a later resume or report reads). */
    private void continueTo(GptConfig shape) {
        long saved = run.config().steps();
        run.rewriteConfig(cfg, resolved(shape));
        run.log("steps changed from " + saved + " to " + cfg.steps() + " (the " + cfg.lrSchedule()
                + " LR schedule keeps its horizon of " + cfg.horizon() + " steps)");
    }

    public TrainConfig config() {
        return cfg;
    }

    public RunDirectory<TrainConfig> runDirectory() {
        return run;
    }

    /** How a run ended. */
    public record Result(long steps, long examples, double finalEvalLoss, boolean stopped, Path checkpoint) {
    }

    /** Runs the remaining steps; returns early (with a checkpoint) when a stop is requested. */
    public Result run() {
        RunListener.Started start = new RunListener.Started(cfg, resolved(model.config()), step, cfg.steps(), cfg.evalEvery());
        RunLoop.Outcome o = RunLoop.run(cadence(), start, new RunLoop.Body() {
            public long stepsDone() {
                return step;
            }

            public void step() {
                trainStep();
            }

            public void evaluate() {
                Trainer.this.evaluate();
            }

            public void beforeStopCheckpoint() {
                if (!lastMeasured) {
                    checkUpdatedModel();                                        // before the stop's checkpoint keeps it
                }
            }

            public Path checkpoint() {
                return Trainer.this.checkpoint();
            }

            public double latestEval() {
                return lastEvalLoss;
            }

            public String finalEval() {
                return "final eval_loss " + lastEvalLoss;
            }
        }, run, listener, stop);
        return new Result(o.steps(), examples, lastEvalLoss, o.stopped(), o.checkpoint());
    }

    private Cadence cadence() {
        return new Cadence(cfg.steps(), cfg.evalEvery(), cfg.checkpointEvery());
    }

    // ----------------------------------------------------------------------------------------------
    // One step of Algorithm 1
    // ----------------------------------------------------------------------------------------------

    private void trainStep() {
        long k = step;
        double lr = schedule.at(k);
        StepMetrics m = new StepMetrics();
        accounting.start();
        List<Window> windows = new ArrayList<>(cfg.candidates());
        for (int i = 0; i < cfg.candidates(); i++) {
            windows.add(stream.next());                                        // C_k <- NEXTBATCH(stream, N)
        }
        TrainSetup.requireLabels(selector, cfg, windows);
        try (NDManager sm = model.manager().newSubManager()) {
            accounting.lap("data");
            List<int[]> subset = reward.drawSubset();                          // D^_k, fresh each step (drawn even when unused)
            boolean align = selector.needsAlignment();
            // for the selector; else for the log, and to run the updated model before a checkpoint keeps it
            // (a stop request's checkpoint runs its own unlogged check, so a stop never changes a step line)
            boolean measure = needsReward || cadence().evaluatesAfter(k + 1) || cadence().checkpointsAfter(k + 1);
            int scored = cfg.selectorSettings().scoredPredictions(windows.get(0).predictions());   // --score-tokens P
            List<int[]> scoredTokens = CandidateBatch.prefixes(windows, scored);
            // H_k and the candidates' losses, after the paired reward's pre-update held-out pass; a selector
            // that reads no scores gets none and costs no pass
            StepScores s = needsScores ? scorer.scoreStep(sm, scoredTokens,
                    pairedReward && measure || align ? subset : List.of(), selector.needsEntropy(), true, align, selector.needsGram()) : null;
            WindowScores c = s == null ? null : s.candidates();
            CandidateBatch batch = c != null ? new CandidateBatch(k, windows, c.loss(), c.entropy(), c.hidden(), s.alignment(), s.gram(), scored)
                    : new CandidateBatch(k, windows, null, null,
                            needsHiddenOnly ? scorer.hiddenOnly(sm, scoredTokens) : null, null, null, scored); // H_k without the head
            double before = !(pairedReward && measure) ? Double.NaN
                    : s != null ? s.heldoutLogProb() : reward.logProb(scorer, sm, subset);
            accounting.lap("score");
            selector.learn(batch, m);                                          // lines 14-20
            accounting.lap("learn");
            Selection sel = selector.select(batch, m);                         // lines 21-23
            accounting.lap("select");
            List<int[]> trained = new ArrayList<>(sel.examples());
            for (int i : sel.train()) {
                trained.add(windows.get(i).tokens());
            }
            accounting.lap(null);
            GradientStep.Result g = update.backward(sm, trained, sel.weights()); // line 25
            boolean finite = Double.isFinite(g.loss()) && Double.isFinite(g.gradNorm());
            if (finite) {
                update.apply(lr, g.gradNorm());
            }
            accounting.lap("update");
            double after = measure ? reward.logProb(scorer, sm, subset) : Double.NaN; // line 26: after the update
            lastMeasured = measure;
            lastSubset = subset;
            double r = pairedReward ? after - before : after;                  // eq. 1, or its paired delta
            accounting.lap("reward");
            boolean allFinite = checkFinite(k, "train_loss", g.loss()) // the first non-finite one is reported
                    && checkFinite(k, "grad_norm", g.gradNorm())
                    && (!measure || checkFinite(k, "reward", r));
            selector.observe(new Outcome(k, r, g.loss(), sel, batch), m);       // line 27
            accounting.lap("learn");
            examples += finite ? sel.examples() : 0;
            candidatesSeen += cfg.candidates();
            step = k + 1;
            metrics.write(accounting.line(new StepAccounting.Step(step, examples, candidatesSeen, nonfiniteSkips, lr, g, measure, r, after,
                    windows, sel, c, subset.size(), m)));
            listener.step(new RunListener.Stepped(step, cfg.steps(), g.loss(), r));
        }
    }

    /**
     * Runs the updated model on the last step's held-out subset, unlogged, before a checkpoint written on
     * a stop request keeps it: a broken update fails here as a non-finite reward would.
     */
    private void checkUpdatedModel() {
        try (NDManager sm = model.manager().newSubManager()) {
            checkFinite(step - 1, "reward", reward.logProb(scorer, sm, lastSubset));
        }
    }

    /** Stops the run (or, with --on-nonfinite skip, counts a skipped update) on a NaN or infinity. */
    private boolean checkFinite(long k, String quantity, double value) {
        if (Double.isFinite(value)) {
            return true;
        }
        nonfinite(k, quantity, value);
        return false;
    }

    private void nonfinite(long k, String quantity, double value) {
        // A non-finite reward means the update already applied broke the model: skipping cannot help.
        if (cfg.onNonfinite() == TrainConfig.OnNonfinite.SKIP && !quantity.equals("reward")) {
            nonfiniteSkips++;
            run.log("step " + (k + 1) + ": non-finite " + quantity + " (" + value + "), update skipped");
            return;
        }
        List<Path> kept = checkpoints.list();
        String where = kept.isEmpty() ? "no checkpoint was written yet" : "the last good checkpoint is " + kept.get(0);
        String msg = "step " + (k + 1) + ": non-finite " + quantity + " (" + value + "); the run stopped and " + where
                + " (lower --lr or --clip, or pass --on-nonfinite skip)";
        run.log(msg);
        throw new NonFiniteError(msg);
    }

    /** The held-out eval loss (and, at --task-every, downstream accuracy), logged and reported. */
    private void evaluate() {
        TrainEvaluation.Measured e = evaluation.measure(step, examples, candidatesSeen);
        lastEvalLoss = e.loss();
        metrics.write(e.line());
        run.log(String.format("step %d eval_loss %.4f eval_ppl %.3f", step, e.loss(), Math.exp(e.loss())));
        listener.evaluated(new RunListener.Evaluated(step, e.loss()));
    }

    // ----------------------------------------------------------------------------------------------
    // Checkpoints
    // ----------------------------------------------------------------------------------------------

    private Path checkpoint() {
        metrics.sync();
        SelectorState ss = selector.save();
        return checkpoints.write(step, new TrainState(examples, candidatesSeen, nonfiniteSkips, lastEvalLoss, metrics.length(),
                stream.position(), reward.rng().state(), optimizer.name(), optimizer.steps(), selector.name(), ss,
                model.config().shapeMap(), tokenizer.name()));
    }

    /** Restores the newest intact checkpoint: the tensors (TrainCheckpoints), then the counters and generators; returns the metrics length. */
    private long restore() {
        CheckpointStore.Restored<TrainState> ck = checkpoints.restore(msg -> {
            run.log(msg);
            listener.warning(msg);
        });
        TrainState st = ck.state();
        step = ck.step();
        examples = st.examplesTrained();
        candidatesSeen = st.candidatesSeen();
        nonfiniteSkips = st.nonfiniteSkips();
        lastEvalLoss = st.lastEvalLoss();
        reward.rng().setState(st.heldoutRng());
        stream.skipTo(st.dataPosition());
        if (cfg.steps() != run.config().steps() && cfg.steps() <= step) { // before anything is written
            throw new UserError("--steps " + cfg.steps() + ": the run in " + run.dir() + " has already done " + step
                    + " steps; give more than " + step + " to continue it");
        }
        run.log("resumed from " + ck.dir() + " at step " + step);
        return st.metricsBytes();
    }

    private Map<String, Object> resolved(GptConfig shape) {
        return TrainSetup.resolved(cfg, shape, tokenizer, rewardKind, selector, heldout, stream, model.manager().getDevice().toString());
    }

    /** The reward kind in use ("absolute" or "paired-delta"), with "auto" resolved. */
    public String rewardKind() {
        return rewardKind;
    }

    /** Size of the model's vocabulary (from the tokenizer). */
    public int vocabSize() {
        return model.config().vocab();
    }

    /** Windows the trainer's model has forwarded without a graph so far (scoring, reward and evaluation passes). */
    public long forwardedWindows() {
        return scorer.forwardedWindows();
    }

    /** Live native arrays under the model's manager (parameters, optimizer state, step temporaries). */
    public int liveArrays() {
        return model.manager().getManagedArrays().size();
    }

    @Override
    public void close() {
        metrics.close();
        selector.close();
        stream.close();
        model.close();
        run.close();
    }
}
