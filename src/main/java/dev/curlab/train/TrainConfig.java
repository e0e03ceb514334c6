package dev.curlab.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.model.GptConfig;
import dev.curlab.select.SelectorSettings;
import dev.curlab.util.Spelled;
import dev.curlab.util.UserError;

/**
 * Every setting of a training run, with its defaults in {@link Builder} ({@link #builder()}). Validated on
 * construction with messages that name the command-line option.
 *
 * @param data            training stream spec (builtin:mixture, a file or a directory)
 * @param heldout         held-out spec for rewards; null = the training spec's target distribution
 *                        (builtin) — files need it
 * @param eval            evaluation spec; null = split off the held-out spec
 * @param tokenizer       auto (bytes for builtin, gpt2 for files), bytes or gpt2
 * @param model           model preset (pico, nano, micro, mini, gpt2)
 * @param context         context length T in tokens
 * @param steps           training steps K
 * @param candidates      candidates per step N
 * @param heldoutBatch    held-out windows per reward M (a fresh subset each step)
 * @param heldoutWindows  size of the held-out reward pool D
 * @param evalWindows     size of the fixed evaluation set
 * @param evalEvery       evaluate every this many steps (and at the start and the end)
 * @param selector        selector name
 * @param selectorSettings options shared by selectors
 * @param microbatch      windows per forward/backward when a step trains on many (gradient accumulation)
 * @param optimizer       sgd or adamw
 * @param lr              peak LM learning rate alpha
 * @param lrSchedule      constant, cosine, linear, wsd or rex
 * @param warmup          warm-up steps
 * @param minLrRatio      final learning rate as a fraction of lr (decaying schedules)
 * @param decayFraction   wsd: fraction of steps spent decaying
 * @param clip            max global gradient norm G for the LM (0 = off)
 * @param weightDecay     adamw decoupled weight decay
 * @param seed            seed of every random choice (model init, data, subsets, selector)
 * @param checkpointEvery write a checkpoint every this many steps (0 = only at the end)
 * @param onNonfinite     stop (default) or skip an update whose loss, gradient norm or reward is not finite
 * @param reward          absolute (paper eq. 1: mean held-out log-prob after the update), paired-delta
 *                        (log-prob after minus before the update, on the same fresh subset) or auto (what
 *                        the selector asks for: {@link dev.curlab.select.Selector#rewardKind()})
 * @param initFrom        Hugging Face GPT-2 directory whose weights start a new run (null = fresh init);
 *                        its shape must be that of the --model preset
 * @param scheduleSteps   steps over which the LR schedule (warm-up, decay) and step-based selector
 *                        schedules are laid out; 0 = {@code steps}. A run continued past its planned
 *                        steps ({@code --resume D --steps K}) keeps its original horizon, so its added
 *                        steps run at the schedule's final learning rate
 * @param shuffleBuffer   file data: windows in the seeded shuffle buffer, with a directory's files
 *                        interleaved (0 = read in order; a run saved before the option existed reads 0);
 *                        builtin data ignores it
 * @param budgetFlops     training compute budget in FLOPs (0 = off): the run takes as many steps as it
 *                        affords, every pass charged ({@link StepCost}), instead of {@code steps}
 * @param downstream      downstream tasks scored at evaluations ({@code --task}, {@code --task-every}); none by default
 */
public record TrainConfig(
        String data, String heldout, String eval, String tokenizer,
        String model, int context,
        long steps, int candidates, int heldoutBatch, int heldoutWindows, int evalWindows, long evalEvery,
        String selector, SelectorSettings selectorSettings, int microbatch,
        LmOptimizer optimizer, double lr, Schedule lrSchedule, long warmup, double minLrRatio, double decayFraction,
        double clip, double weightDecay,
        long seed, long checkpointEvery, OnNonfinite onNonfinite, Reward reward, String initFrom,
        long scheduleSteps, int shuffleBuffer, double budgetFlops, DownstreamSchedule downstream) {

    /** --optimizer: how the LM's weights are stepped. */
    public enum LmOptimizer implements Spelled {
        SGD, ADAMW;

        @JsonCreator
        public static LmOptimizer of(String s) {
            for (LmOptimizer o : values()) {
                if (o.spelling().equals(s)) {
                    return o;
                }
            }
            throw new UserError("--optimizer: unknown optimizer '" + s + "' (expected sgd or adamw)");
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --lr-schedule: the shape of the learning rate over the steps ({@link LrSchedule}). */
    public enum Schedule implements Spelled {
        CONSTANT, COSINE, LINEAR, WSD, REX;

        @JsonCreator
        public static Schedule of(String s) {
            for (Schedule k : values()) {
                if (k.spelling().equals(s)) {
                    return k;
                }
            }
            throw new UserError("--lr-schedule: unknown schedule '" + s + "' (expected one of " + String.join(", ", LrSchedule.KINDS) + ")");
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --reward: absolute (eq. 1), paired-delta, or auto (what the selector asks for). */
    public enum Reward implements Spelled {
        AUTO, ABSOLUTE, PAIRED_DELTA;

        @JsonCreator
        public static Reward of(String s) {
            return Spelled.parse(Reward.class, "--reward", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --on-nonfinite: what an update whose loss, gradient norm or reward is not finite does. */
    public enum OnNonfinite implements Spelled {
        STOP, SKIP;

        @JsonCreator
        public static OnNonfinite of(String s) {
            return Spelled.parse(OnNonfinite.class, "--on-nonfinite", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** Default --shuffle-buffer: about 1000 windows, the size streaming loaders commonly default to. */
    public static final int DEFAULT_SHUFFLE_BUFFER = 1000;

    public TrainConfig {
        UserError.require(data != null && !data.isBlank(), "--data is required");
        UserError.require(context >= 2, "--context must be >= 2, got " + context);
        UserError.require(steps >= 1, "--steps must be >= 1, got " + steps);
        UserError.require(candidates >= 1, "--candidates (N) must be >= 1, got " + candidates);
        UserError.require(heldoutBatch >= 1, "--heldout-batch (M) must be >= 1, got " + heldoutBatch);
        UserError.require(heldoutWindows >= heldoutBatch, "--heldout-windows (" + heldoutWindows + ") must be >= --heldout-batch (" + heldoutBatch + ")");
        UserError.require(evalWindows >= 1, "--eval-windows must be >= 1, got " + evalWindows);
        UserError.require(evalEvery >= 1, "--eval-every must be >= 1, got " + evalEvery);
        UserError.require(microbatch >= 1, "--microbatch must be >= 1, got " + microbatch);
        UserError.require(optimizer != null, "--optimizer: unknown optimizer 'null' (expected sgd or adamw)");
        UserError.require(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 disables clipping), got " + clip);
        UserError.require(weightDecay >= 0 && weightDecay < 1, "--weight-decay must be in [0, 1), got " + weightDecay);
        UserError.require(onNonfinite != null, "--on-nonfinite: expected stop or skip, got 'null'");
        UserError.require(reward != null, "--reward: expected auto, absolute or paired-delta, got 'null'");
        UserError.require(checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
        UserError.require(scheduleSteps >= 0, "scheduleSteps must be >= 0 (0 = --steps), got " + scheduleSteps);
        UserError.require(shuffleBuffer >= 0, "--shuffle-buffer must be >= 0 (0 = off), got " + shuffleBuffer);
        UserError.require(budgetFlops >= 0 && Double.isFinite(budgetFlops),
                "--budget-flops must be a number of FLOPs >= 0 (0 = off), got " + budgetFlops);
        downstream = downstream == null ? DownstreamSchedule.NONE : downstream;       // runs saved before it existed
        downstream.requireEvalSteps(evalEvery);
        if (!GptConfig.PRESETS.contains(model)) {
            GptConfig.preset(model, context, 2); // throws the one-line error
        }
        UserError.require(lrSchedule != null, "--lr-schedule: unknown schedule 'null' (expected one of " + String.join(", ", LrSchedule.KINDS) + ")");
        schedule(lr, lrSchedule.spelling(), warmup, scheduleSteps > 0 ? scheduleSteps : steps, minLrRatio, decayFraction); // validates
        (selectorSettings == null ? SelectorSettings.DEFAULT : selectorSettings).softQ().requireBetaFits(candidates);
    }

    /** Steps over which the LR schedule and step-based selector schedules run: {@code scheduleSteps}, or {@code steps}. */
    public long horizon() {
        return scheduleSteps > 0 ? scheduleSteps : steps;
    }

    /**
     * This run continued to {@code total} steps: the schedules keep their horizon (a decaying LR is not
     * stretched; steps past it run at its final value).
     */
    public TrainConfig continuedTo(long total) {
        return toBuilder().steps(total).scheduleSteps(horizon()).build();
    }

    private static LrSchedule schedule(double lr, String kind, long warmup, long steps, double min, double decay) {
        return new LrSchedule(kind, lr, warmup, steps, min, decay);
    }

    /** The learning-rate schedule of this run. */
    public LrSchedule lrScheduleObject() {
        return schedule(lr, lrSchedule.spelling(), warmup, horizon(), minLrRatio, decayFraction);
    }

    /** Defaults for a run on {@code data}. */
    public static TrainConfig defaults(String data) {
        return builder().data(data).build();
    }

    /** A builder holding every default of a run (the one place they are written); {@code data} has none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.data = data;
        b.heldout = heldout;
        b.eval = eval;
        b.tokenizer = tokenizer;
        b.model = model;
        b.context = context;
        b.steps = steps;
        b.candidates = candidates;
        b.heldoutBatch = heldoutBatch;
        b.heldoutWindows = heldoutWindows;
        b.evalWindows = evalWindows;
        b.evalEvery = evalEvery;
        b.selector = selector;
        b.selectorSettings = selectorSettings;
        b.microbatch = microbatch;
        b.optimizer = optimizer;
        b.lr = lr;
        b.lrSchedule = lrSchedule;
        b.warmup = warmup;
        b.minLrRatio = minLrRatio;
        b.decayFraction = decayFraction;
        b.clip = clip;
        b.weightDecay = weightDecay;
        b.seed = seed;
        b.checkpointEvery = checkpointEvery;
        b.onNonfinite = onNonfinite;
        b.reward = reward;
        b.initFrom = initFrom;
        b.scheduleSteps = scheduleSteps;
        b.shuffleBuffer = shuffleBuffer;
        b.budgetFlops = budgetFlops;
        b.downstream = downstream;
        return b;
    }

    /** Sets settings by name; {@link #build()} validates them as the constructor does. */
    public static final class Builder {
        private String data = null;
        private String heldout = null;
        private String eval = null;
        private String tokenizer = "auto";
        private String model = "nano";
        private int context = 64;
        private long steps = 1000;
        private int candidates = 16;
        private int heldoutBatch = 16;
        private int heldoutWindows = 512;
        private int evalWindows = 128;
        private long evalEvery = 100;
        private String selector = "random";
        private SelectorSettings selectorSettings = SelectorSettings.DEFAULT;
        private int microbatch = 8;
        private LmOptimizer optimizer = LmOptimizer.ADAMW;
        private double lr = 1e-3;
        private Schedule lrSchedule = Schedule.CONSTANT;
        private long warmup = 0;
        private double minLrRatio = 0.1;
        private double decayFraction = 0.2;
        private double clip = 1.0;
        private double weightDecay = 0.01;
        private long seed = 0;
        private long checkpointEvery = 0;
        private OnNonfinite onNonfinite = OnNonfinite.STOP;
        private Reward reward = Reward.AUTO;
        private String initFrom = null;
        private long scheduleSteps = 0;
        private int shuffleBuffer = DEFAULT_SHUFFLE_BUFFER;
        private double budgetFlops = 0;
        private DownstreamSchedule downstream = DownstreamSchedule.NONE;

        private Builder() {
        }

        public Builder data(String v) {
            this.data = v;
            return this;
        }

        public Builder heldout(String v) {
            this.heldout = v;
            return this;
        }

        public Builder eval(String v) {
            this.eval = v;
            return this;
        }

        public Builder tokenizer(String v) {
            this.tokenizer = v;
            return this;
        }

        public Builder model(String v) {
            this.model = v;
            return this;
        }

        public Builder context(int v) {
            this.context = v;
            return this;
        }

        public Builder steps(long v) {
            this.steps = v;
            return this;
        }

        public Builder candidates(int v) {
            this.candidates = v;
            return this;
        }

        public Builder heldoutBatch(int v) {
            this.heldoutBatch = v;
            return this;
        }

        public Builder heldoutWindows(int v) {
            this.heldoutWindows = v;
            return this;
        }

        public Builder evalWindows(int v) {
            this.evalWindows = v;
            return this;
        }

        public Builder evalEvery(long v) {
            this.evalEvery = v;
            return this;
        }

        public Builder selector(String v) {
            this.selector = v;
            return this;
        }

        public Builder selectorSettings(SelectorSettings v) {
            this.selectorSettings = v;
            return this;
        }

        public Builder microbatch(int v) {
            this.microbatch = v;
            return this;
        }

        public Builder optimizer(LmOptimizer v) {
            this.optimizer = v;
            return this;
        }

        /** {@code optimizer} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder optimizer(String spelling) {
            return optimizer(LmOptimizer.of(spelling));
        }

        public Builder lr(double v) {
            this.lr = v;
            return this;
        }

        public Builder lrSchedule(Schedule v) {
            this.lrSchedule = v;
            return this;
        }

        /** {@code lrSchedule} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder lrSchedule(String spelling) {
            return lrSchedule(Schedule.of(spelling));
        }

        public Builder warmup(long v) {
            this.warmup = v;
            return this;
        }

        public Builder minLrRatio(double v) {
            this.minLrRatio = v;
            return this;
        }

        public Builder decayFraction(double v) {
            this.decayFraction = v;
            return this;
        }

        public Builder clip(double v) {
            this.clip = v;
            return this;
        }

        public Builder weightDecay(double v) {
            this.weightDecay = v;
            return this;
        }

        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public Builder checkpointEvery(long v) {
            this.checkpointEvery = v;
            return this;
        }

        public Builder onNonfinite(OnNonfinite v) {
            this.onNonfinite = v;
            return this;
        }

        /** {@code onNonfinite} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder onNonfinite(String spelling) {
            return onNonfinite(OnNonfinite.of(spelling));
        }

        public Builder reward(Reward v) {
            this.reward = v;
            return this;
        }

        /** {@code reward} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder reward(String spelling) {
            return reward(Reward.of(spelling));
        }

        public Builder initFrom(String v) {
            this.initFrom = v;
            return this;
        }

        public Builder scheduleSteps(long v) {
            this.scheduleSteps = v;
            return this;
        }

        public Builder shuffleBuffer(int v) {
            this.shuffleBuffer = v;
            return this;
        }

        public Builder budgetFlops(double v) {
            this.budgetFlops = v;
            return this;
        }

        public Builder downstream(DownstreamSchedule v) {
            this.downstream = v;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch, heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr, lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom, scheduleSteps, shuffleBuffer, budgetFlops, downstream);
        }
    }
}
