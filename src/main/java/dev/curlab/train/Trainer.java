package dev.curlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.PrefetchingDataSource;
import dev.curlab.data.Role;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.eval.DownstreamTasks;
import dev.curlab.eval.Evaluator;
import dev.curlab.eval.PassCost;
import dev.curlab.model.Assign;
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
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The training loop: each step draws N fresh candidates, scores them in one no-grad pass, lets the
 * selector learn from the pending transition and choose, takes the LM update, measures the reward on
 * a fresh held-out subset and hands it back (Algorithm 1). It also evaluates, logs and checkpoints.
 */
public final class Trainer implements AutoCloseable {
    private TrainConfig cfg;    // as given, with --budget-flops resolved to the steps it affords (set once, in the constructor)
    private final RunDirectory run;
    private final TrainerListener listener;
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
    private final Evaluator evaluator = new Evaluator(32);
    private final LrSchedule schedule;
    private final String rewardKind;
    private final boolean pairedReward;
    private final boolean needsScores;  // the selector reads the scoring pass (scores, entropy or alignment)
    private final boolean needsHiddenOnly;  // the selector reads only hidden states: the scoring pass skips the head
    private final boolean needsReward;  // the selector reads every step's reward (else: measured on eval steps only)
    private CheckpointStore checkpoints;  // re-pointed when a staged --overwrite run takes its place
    private final MetricsLog metrics;
    private long step;          // steps completed
    private long examples;      // examples trained on
    private long candidatesSeen;
    private long nonfiniteSkips;
    private double lastEvalLoss = Double.NaN;

    private Trainer(RunDirectory run, TrainerListener listener, StopSignal stop, boolean resume, long steps) {
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
            long k = affordableSteps(StepCost.of(cfg, shape, chosen, rewardKind.equals("paired-delta")));
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
        this.checkpoints = new CheckpointStore(run.dir());
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
                requireLabels(first); // a selector's missing labels are reported before anything is written
            }
            run.materialize(); // only now, with every option and data file checked
            run.writeConfig(resolved(shape));
        }
        this.metrics = new MetricsLog(run.metricsFile(), metricsBytes, "train");
    }

    private Selector createSelector(GptConfig shape) {
        return Selectors.create(cfg.selector(), new SelectorContext(cfg.seed(), cfg.candidates(),
                shape.dModel(), cfg.horizon(), model.manager(), cfg.selectorSettings(), targetShares(heldout.reward()),
                shape, heldout.reward(), trainValues(cfg)));
    }

    /** The steps --budget-flops affords, every pass of this selector charged; at least one, and no fewer than --warmup. */
    private long affordableSteps(StepCost cost) {
        long k = cost.affordableSteps(cfg.budgetFlops());
        String what = String.format("--budget-flops %.4g affords %d step(s) of --selector %s (%.4g FLOPs per step", cfg.budgetFlops(), k,
                cfg.selector(), cost.perStep()) + (cost.once() > 0 ? String.format(", %.4g once", cost.once()) : "") + ")";
        UserError.require(k >= 1, what + "; raise the budget");
        UserError.require(k >= cfg.warmup(), what + ", fewer than --warmup " + cfg.warmup() + "; raise the budget or lower --warmup");
        return k;
    }

    /**
     * Starts a new run in {@code out}. With {@code overwrite}, a run already there is kept until the new
     * one has written its first checkpoint (the new one is written beside it until then).
     */
    public static Trainer start(TrainConfig cfg, Path out, boolean overwrite, TrainerListener listener, StopSignal stop) {
        return open(RunDirectory.create(out, cfg, overwrite), listener, stop, false, 0);
    }

    /** Resumes the run in {@code dir} from its newest intact checkpoint. */
    public static Trainer resume(Path dir, TrainerListener listener, StopSignal stop) {
        return resume(dir, 0, listener, stop);
    }

    /**
     * Resumes the run in {@code dir} and continues it to {@code steps} in all (0 = its saved steps). More
     * steps than planned continue a finished run; its LR schedule is not stretched (see {@link TrainConfig#horizon()}).
     */
    public static Trainer resume(Path dir, long steps, TrainerListener listener, StopSignal stop) {
        return open(RunDirectory.open(dir), listener, stop, true, steps);
    }

    private static Trainer open(RunDirectory run, TrainerListener listener, StopSignal stop, boolean resume, long steps) {
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

    public RunDirectory runDirectory() {
        return run;
    }

    /** How a run ended. */
    public record Result(long steps, long examples, double finalEvalLoss, boolean stopped, Path checkpoint) {
    }

    /** Runs the remaining steps; returns early (with a checkpoint) when a stop is requested. */
    public Result run() {
        listener.started(cfg, resolved(model.config()), step);
        if (step == 0) {
            evaluate();
        }
        Path last = null;
        while (step < cfg.steps()) {
            trainStep();
            boolean end = step == cfg.steps();
            if (evaluatesAfter(step)) {
                evaluate();
            }
            boolean stopping = stop.requested();
            boolean periodic = end || checkpointsAfter(step);
            if (stopping && !periodic && !lastMeasured) {
                checkUpdatedModel();                                            // before the stop's checkpoint keeps it
            }
            if (periodic || stopping) {
                last = checkpoint();
            }
            if (stopping && !end) {
                run.log("stopped at step " + step + "; checkpoint " + last);
                listener.finished(step, lastEvalLoss, true);
                return new Result(step, examples, lastEvalLoss, true, last);
            }
        }
        run.log("finished " + step + " steps; final eval_loss " + lastEvalLoss);
        listener.finished(step, lastEvalLoss, false);
        return new Result(step, examples, lastEvalLoss, false, last);
    }

    // ----------------------------------------------------------------------------------------------
    // One step of Algorithm 1
    // ----------------------------------------------------------------------------------------------

    private void trainStep() {
        long k = step;
        double lr = schedule.at(k);
        StepMetrics m = new StepMetrics();
        long t0 = System.nanoTime();
        List<Window> windows = new ArrayList<>(cfg.candidates());
        for (int i = 0; i < cfg.candidates(); i++) {
            windows.add(stream.next());                                        // C_k <- NEXTBATCH(stream, N)
        }
        requireLabels(windows);
        try (NDManager sm = model.manager().newSubManager()) {
            long t1 = System.nanoTime();
            List<int[]> subset = reward.drawSubset();                          // D^_k, fresh each step (drawn even when unused)
            boolean align = selector.needsAlignment();
            // for the selector; else for the log, and to run the updated model before a checkpoint keeps it
            // (a stop request's checkpoint runs its own unlogged check, so a stop never changes a step line)
            boolean measure = needsReward || evaluatesAfter(k + 1) || checkpointsAfter(k + 1);
            int predictions = windows.get(0).predictions();
            int scored = cfg.selectorSettings().scoredPredictions(predictions);   // --score-tokens P
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
            long t2 = System.nanoTime();
            selector.learn(batch, m);                                          // lines 14-20
            long tLearn = System.nanoTime();
            Selection sel = selector.select(batch, m);                         // lines 21-23
            long t3 = System.nanoTime();
            List<int[]> trained = new ArrayList<>(sel.examples());
            for (int i : sel.train()) {
                trained.add(windows.get(i).tokens());
            }
            long tBefore = System.nanoTime();
            GradientStep.Result g = update.backward(sm, trained, sel.weights()); // line 25
            boolean finite = Double.isFinite(g.loss()) && Double.isFinite(g.gradNorm());
            if (finite) {
                update.apply(lr, g.gradNorm());
            }
            long t4 = System.nanoTime();
            double after = measure ? reward.logProb(scorer, sm, subset) : Double.NaN; // line 26: after the update
            lastMeasured = measure;
            lastSubset = subset;
            double r = pairedReward ? after - before : after;                  // eq. 1, or its paired delta
            long t5 = System.nanoTime();
            boolean allFinite = checkFinite(k, "train_loss", g.loss()) // the first non-finite one is reported
                    && checkFinite(k, "grad_norm", g.gradNorm())
                    && (!measure || checkFinite(k, "reward", r));
            selector.observe(new Outcome(k, r, g.loss(), sel, batch), m);       // line 27
            long t6 = System.nanoTime();
            examples += finite ? sel.examples() : 0;
            candidatesSeen += cfg.candidates();
            step = k + 1;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", "step");
            line.put("step", step);
            line.put("examples_trained", examples);
            line.put("candidates_seen", candidatesSeen);
            line.put("lr", lr);
            line.put("train_loss", finite(g.loss()));
            line.put("grad_norm", finite(g.gradNorm()));
            if (measure) {
                line.put("reward", finite(r));
                line.put("heldout_logprob", finite(after));
            }
            Window picked = windows.get(sel.picked()[0]);
            line.put("selected_window", picked.id());
            line.put("selected_source", picked.source());
            line.put("selected_difficulty", picked.hasDifficulty() ? picked.difficulty() : null);
            if (c != null) {
                line.put("selected_loss", c.loss()[sel.picked()[0]]);
            }
            if (nonfiniteSkips > 0) {
                line.put("nonfinite_skips", nonfiniteSkips);
            }
            // the passes this step ran, in tokens forwarded (RunData charges exactly these)
            line.put("scoring_forward_tokens", needsScores ? PassCost.tokens(cfg.candidates(), scored) : 0L);
            if (needsHiddenOnly) {                                              // the blocks without the output head
                line.put("scoring_trunk_tokens", PassCost.tokens(cfg.candidates(), scored));
            }
            line.put("reward_forward_tokens", measure ? PassCost.tokens(subset.size(), predictions) * (pairedReward ? 2 : 1) : 0L);
            if (align) {                                                        // charged to scoring (RunData)
                line.put("alignment_head_tokens", PassCost.tokens(cfg.candidates(), scored) + PassCost.tokens(subset.size(), predictions));
                if (!(pairedReward && measure)) {
                    line.put("alignment_forward_tokens", PassCost.tokens(subset.size(), predictions));
                }
            }
            if (selector.needsGram()) {                                          // N x T head-gradient rows, then the N x N Gram
                line.put("gram_head_tokens", PassCost.gramTokens(cfg.candidates(), scored));
            }
            line.putAll(m.asMap());
            if (m.candidateValues() != null && (step % cfg.evalEvery() == 0 || step == 1)) {
                CandidateTexts.put(line, windows, m.candidateValues(), tokenizer);
            }
            line.put("data_ms", ms(t1 - t0));
            line.put("score_ms", ms(t2 - t1));
            line.put("learn_ms", ms(tLearn - t2) + ms(t6 - t5));
            line.put("select_ms", ms(t3 - tLearn));
            line.put("update_ms", ms(t4 - tBefore));
            line.put("reward_ms", ms(t5 - t4));
            line.put("step_ms", ms(System.nanoTime() - t0));
            metrics.write(line);
            listener.step(step, cfg.steps(), g.loss(), r);
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

    /** Whether the run evaluates once {@code done} steps are complete (every --eval-every steps and at the end). */
    private boolean evaluatesAfter(long done) {
        return done == cfg.steps() || done % cfg.evalEvery() == 0;
    }

    /** Whether the run writes a periodic checkpoint once {@code done} steps are complete. */
    private boolean checkpointsAfter(long done) {
        return cfg.checkpointEvery() > 0 && done % cfg.checkpointEvery() == 0;
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

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : String.valueOf(v);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private void requireLabels(List<Window> windows) {
        for (Selector.Label label : selector.requires()) {
            for (Window w : windows) {
                boolean has = label == Selector.Label.SOURCE ? w.hasSource() : w.hasDifficulty();
                if (!has) {
                    throw new UserError("--selector " + selector.name() + " needs a '" + label.name().toLowerCase()
                            + "' label on every training window, but --data " + cfg.data() + " has a window without one (window "
                            + w.id() + ")");
                }
            }
        }
    }

    private void evaluate() {
        Evaluator.Losses losses = evaluator.losses(scorer, model.manager(), heldout.eval());
        double loss = losses.mean();
        lastEvalLoss = loss;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "eval");
        line.put("step", step);
        line.put("examples_trained", examples);
        line.put("candidates_seen", candidatesSeen);
        line.put("eval_loss", finite(loss));
        line.put("eval_ppl", finite(Math.exp(loss)));
        losses.bySource().forEach((source, l) -> line.put("eval_loss_" + source, finite(l)));   // same windows, split by source
        DownstreamSchedule tasks = cfg.downstream();
        if (tasks.scoresAt(step, step == cfg.steps())) {                       // --task-every: downstream accuracy as training goes
            for (DownstreamTasks.TaskResult r : DownstreamTasks.run(model, tokenizer, tasks.paths(), tasks.mmluShots(), tasks.limit())) {
                line.put("task/" + r.task() + "/acc", r.acc());
                if (!Double.isNaN(r.accNorm())) {
                    line.put("task/" + r.task() + "/acc_norm", r.accNorm());
                }
            }
        }
        metrics.write(line);
        run.log(String.format("step %d eval_loss %.4f eval_ppl %.3f", step, loss, Math.exp(loss)));
        listener.evaluated(step, loss);
    }

    // ----------------------------------------------------------------------------------------------
    // Checkpoints
    // ----------------------------------------------------------------------------------------------

    private Path checkpoint() {
        metrics.sync();
        SelectorState ss = selector.save();
        Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
        tensors.put("model", model.parameters());
        tensors.put("optimizer", optimizer.state());
        tensors.put("selector", ss.tensors());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("examples_trained", examples);
        state.put("candidates_seen", candidatesSeen);
        state.put("nonfinite_skips", nonfiniteSkips);
        state.put("last_eval_loss", lastEvalLoss);
        state.put("metrics_bytes", metrics.length());
        state.put("data_position", stream.position());
        state.put("heldout_rng", reward.rng().state());
        state.put("optimizer", optimizer.name());
        state.put("optimizer_steps", optimizer.steps());
        state.put("selector_name", selector.name());
        state.put("selector", ss.values());
        state.put("model", model.config().shapeMap());
        state.put("tokenizer", tokenizer.name());
        Path dir;
        try {
            dir = checkpoints.write(step, tensors, state);
        } catch (java.io.UncheckedIOException e) {
            List<Path> kept = checkpoints.list();
            throw new UserError(e.getMessage() + "; " + (run.staged()
                    ? "the run in " + run.target() + " was left as it was"
                    : kept.isEmpty() ? "no checkpoint was written yet"
                    : "the last good checkpoint is " + kept.get(0) + "; free space and resume with: curlab train --resume " + run.dir()), e);
        }
        if (run.staged()) { // the new run's first checkpoint is on disk: now it replaces the old one
            Path within = run.dir().relativize(dir);
            run.commit();
            checkpoints = new CheckpointStore(run.dir());
            dir = run.dir().resolve(within);
        }
        run.log("checkpoint " + dir);
        listener.checkpointed(step, dir);
        return dir;
    }

    @SuppressWarnings("unchecked")
    private long restore() {
        List<String> problems = new ArrayList<>();
        Consumer<String> warn = msg -> {
            problems.add(msg);
            run.log(msg);
            listener.warning(msg);
        };
        try (NDManager tmp = model.manager().newSubManager()) {
            Optional<CheckpointStore.Loaded> found = checkpoints.loadLatest(tmp, warn);
            if (found.isEmpty()) {
                throw new UserError("--resume " + run.dir() + ": no intact checkpoint to resume from"
                        + (problems.isEmpty() ? "" : " (" + problems.get(0).replace("; trying an older checkpoint", "") + ")"));
            }
            CheckpointStore.Loaded ck = found.get();
            Map<String, Object> st = ck.state();
            Map<String, Object> expectShape = model.config().shapeMap();
            if (!expectShape.equals(st.get("model")) || !tokenizer.name().equals(st.get("tokenizer"))) {
                throw new UserError("checkpoint " + ck.dir() + " is of another model or vocabulary (" + st.get("model")
                        + ", tokenizer " + st.get("tokenizer") + "); this run expects " + expectShape + ", tokenizer " + tokenizer.name());
            }
            Map<String, NDArray> params = ck.tensors().getOrDefault("model", Map.of());
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray saved = params.get(e.getKey());
                if (saved == null || !saved.getShape().equals(e.getValue().getShape())) {
                    throw new UserError("checkpoint " + ck.dir() + ": parameter " + e.getKey() + " is missing or of another shape");
                }
                Assign.from(e.getValue(), saved);
            }
            Map<String, float[]> opt = new LinkedHashMap<>();
            ck.tensors().getOrDefault("optimizer", Map.of()).forEach((k, v) -> opt.put(k, v.toFloatArray()));
            optimizer.restore(opt, ((Number) st.get("optimizer_steps")).longValue());
            selector.restore(new SelectorState((Map<String, Object>) st.get("selector"),
                    ck.tensors().getOrDefault("selector", Map.of())));
            step = ((Number) st.get("step")).longValue();
            examples = ((Number) st.get("examples_trained")).longValue();
            candidatesSeen = ((Number) st.get("candidates_seen")).longValue();
            nonfiniteSkips = ((Number) st.get("nonfinite_skips")).longValue();
            Object lel = st.get("last_eval_loss");
            lastEvalLoss = lel instanceof Number n ? n.doubleValue() : Double.NaN;
            reward.rng().setState(((Number) st.get("heldout_rng")).longValue());
            stream.skipTo(((Number) st.get("data_position")).longValue());
            if (cfg.steps() != run.config().steps() && cfg.steps() <= step) { // before anything is written
                throw new UserError("--steps " + cfg.steps() + ": the run in " + run.dir() + " has already done " + step
                        + " steps; give more than " + step + " to continue it");
            }
            run.log("resumed from " + ck.dir() + " at step " + step);
            return ((Number) st.get("metrics_bytes")).longValue();
        }
    }


    private Map<String, Object> resolved(GptConfig shape) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tokenizer", tokenizer.name());
        r.put("model", shape.shapeMap());
        r.put("parameters", shape.parameterCount());
        r.put("reward", rewardKind);
        if (cfg.budgetFlops() > 0) {
            r.put("budget_steps", cfg.steps());   // the steps --budget-flops affords (config.steps is not used)
        }
        GptConfig own = selector.ownShape();
        if (own != null) {                        // a selector's own model of another shape: RunData charges its FLOPs
            r.put("il_model", own.shapeMap());
        }
        r.put("heldout", heldout.spec());
        r.put("heldout_reward_windows", heldout.reward().size());
        r.put("eval_windows", heldout.eval().size());
        r.put("train_stream", stream.describe());
        r.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        r.put("device", model.manager().getDevice().toString());
        return r;
    }

    private static Map<String, Object> trainValues(TrainConfig c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("optimizer", c.optimizer().spelling());
        v.put("lr", c.lr());
        v.put("clip", c.clip());
        v.put("weight_decay", c.weightDecay());
        v.put("microbatch", c.microbatch());
        v.put("data", c.data());
        v.put("heldout_batch", c.heldoutBatch());
        return v;
    }

    private static Map<String, Double> targetShares(List<Window> pool) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (Window w : pool) {
            if (w.hasSource()) {
                counts.merge(w.source(), 1.0, Double::sum);
            }
        }
        counts.replaceAll((k, v) -> v / pool.size());
        return counts;
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
