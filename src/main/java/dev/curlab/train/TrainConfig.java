package dev.curlab.train;

import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.model.GptConfig;
import dev.curlab.select.SelectorSettings;
import dev.curlab.util.UserError;
import java.util.List;

/**
 * Every setting of a training run, with its defaults in {@link #defaults(String)}. Validated on
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
        String optimizer, double lr, String lrSchedule, long warmup, double minLrRatio, double decayFraction,
        double clip, double weightDecay,
        long seed, long checkpointEvery, String onNonfinite, String reward, String initFrom,
        long scheduleSteps, int shuffleBuffer, double budgetFlops, DownstreamSchedule downstream) {

    public static final List<String> OPTIMIZERS = List.of("sgd", "adamw");
    public static final List<String> REWARDS = List.of("auto", "absolute", "paired-delta");
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
        UserError.require(OPTIMIZERS.contains(optimizer), "--optimizer: unknown optimizer '" + optimizer + "' (expected sgd or adamw)");
        UserError.require(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 disables clipping), got " + clip);
        UserError.require(weightDecay >= 0 && weightDecay < 1, "--weight-decay must be in [0, 1), got " + weightDecay);
        UserError.require("stop".equals(onNonfinite) || "skip".equals(onNonfinite),
                "--on-nonfinite: expected stop or skip, got '" + onNonfinite + "'");
        UserError.require(REWARDS.contains(reward), "--reward: expected auto, absolute or paired-delta, got '" + reward + "'");
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
        schedule(lr, lrSchedule, warmup, scheduleSteps > 0 ? scheduleSteps : steps, minLrRatio, decayFraction); // validates
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
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, total, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward,
                initFrom, horizon(), shuffleBuffer, budgetFlops, downstream);
    }

    /** Every setting but the downstream tasks (none). */
    public TrainConfig(String data, String heldout, String eval, String tokenizer, String model, int context,
                       long steps, int candidates, int heldoutBatch, int heldoutWindows, int evalWindows, long evalEvery,
                       String selector, SelectorSettings selectorSettings, int microbatch,
                       String optimizer, double lr, String lrSchedule, long warmup, double minLrRatio, double decayFraction,
                       double clip, double weightDecay,
                       long seed, long checkpointEvery, String onNonfinite, String reward, String initFrom,
                       long scheduleSteps, int shuffleBuffer, double budgetFlops) {
        this(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch, heldoutWindows, evalWindows,
                evalEvery, selector, selectorSettings, microbatch, optimizer, lr, lrSchedule, warmup, minLrRatio,
                decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom, scheduleSteps, shuffleBuffer,
                budgetFlops, DownstreamSchedule.NONE);
    }

    /** Every setting but the last ones, which take their defaults (--shuffle-buffer; no budget). */
    public TrainConfig(String data, String heldout, String eval, String tokenizer, String model, int context,
                       long steps, int candidates, int heldoutBatch, int heldoutWindows, int evalWindows, long evalEvery,
                       String selector, SelectorSettings selectorSettings, int microbatch,
                       String optimizer, double lr, String lrSchedule, long warmup, double minLrRatio, double decayFraction,
                       double clip, double weightDecay,
                       long seed, long checkpointEvery, String onNonfinite, String reward, String initFrom) {
        this(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch, heldoutWindows, evalWindows,
                evalEvery, selector, selectorSettings, microbatch, optimizer, lr, lrSchedule, warmup, minLrRatio,
                decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom, 0, DEFAULT_SHUFFLE_BUFFER, 0, DownstreamSchedule.NONE);
    }

    private static LrSchedule schedule(double lr, String kind, long warmup, long steps, double min, double decay) {
        return new LrSchedule(kind, lr, warmup, steps, min, decay);
    }

    /** The learning-rate schedule of this run. */
    public LrSchedule lrScheduleObject() {
        return schedule(lr, lrSchedule, warmup, horizon(), minLrRatio, decayFraction);
    }

    /** Defaults for a run on {@code data}. */
    public static TrainConfig defaults(String data) {
        return new TrainConfig(data, null, null, "auto", "nano", 64,
                1000, 16, 16, 512, 128, 100,
                "random", SelectorSettings.DEFAULT, 8,
                "adamw", 1e-3, "constant", 0, 0.1, 0.2,
                1.0, 0.01,
                0, 0, "stop", "auto", null, 0, DEFAULT_SHUFFLE_BUFFER, 0);
    }

    public TrainConfig withSteps(long s) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, s, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, shuffleBuffer, budgetFlops, downstream);
    }

    public TrainConfig withSelector(String name) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, name, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, shuffleBuffer, budgetFlops, downstream);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, s, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, shuffleBuffer, budgetFlops, downstream);
    }

    public TrainConfig withShuffleBuffer(int windows) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, windows, budgetFlops, downstream);
    }

    public TrainConfig withBudgetFlops(double flops) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, shuffleBuffer, flops, downstream);
    }

    public TrainConfig withDownstream(DownstreamSchedule d) {
        return new TrainConfig(data, heldout, eval, tokenizer, model, context, steps, candidates, heldoutBatch,
                heldoutWindows, evalWindows, evalEvery, selector, selectorSettings, microbatch, optimizer, lr,
                lrSchedule, warmup, minLrRatio, decayFraction, clip, weightDecay, seed, checkpointEvery, onNonfinite, reward, initFrom,
                scheduleSteps, shuffleBuffer, budgetFlops, d);
    }
}
