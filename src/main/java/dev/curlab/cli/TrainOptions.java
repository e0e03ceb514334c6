package dev.curlab.cli;

import dev.curlab.util.UserError;
import dev.curlab.select.SelectorSettings;
import dev.curlab.train.TrainConfig;
import picocli.CommandLine.Option;

/** The training options shared by {@code train} and {@code compare}; defaults from {@link TrainConfig#defaults}. */
final class TrainOptions {
    private static final TrainConfig D = TrainConfig.defaults("builtin:mixture");

    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "builtin:mixture",
            description = "Training stream: builtin:mixture[?noise=0.4&duplicates=0.1&...], a .txt, .jsonl, .jsonl.gz or .parquet file, or a directory of them (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--heldout", paramLabel = "SPEC", description = "Held-out data for rewards (default for builtin data: its target distribution; required for files).")
    String heldout;

    @Option(names = "--eval", paramLabel = "SPEC", description = "Separate evaluation data (default: split off --heldout).")
    String eval;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "auto", description = "auto (bytes for builtin, gpt2 for files), bytes or gpt2 (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--model", paramLabel = "PRESET", defaultValue = "nano", description = "Model preset: pico, nano, micro, mini, gpt2 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--context", paramLabel = "T", description = "Context length T in tokens (default: " + 64 + ").")
    int context = D.context();

    @Option(names = "--steps", paramLabel = "K", description = "Training steps (default: 1000).")
    long steps = D.steps();

    @Option(names = "--budget-flops", paramLabel = "F",
            description = "Training compute budget in FLOPs, every pass charged (scoring, update, reward, IL model; not evaluation): "
                    + "the run takes the steps F affords instead of --steps, and decaying LR schedules end at the budget (default: off).")
    double budgetFlops;

    @Option(names = {"--candidates", "-N"}, paramLabel = "N", description = "Candidates per step N (default: 16).")
    int candidates = D.candidates();

    @Option(names = {"--heldout-batch", "-M"}, paramLabel = "M", description = "Held-out windows per reward M (default: 16).")
    int heldoutBatch = D.heldoutBatch();

    @Option(names = "--heldout-windows", paramLabel = "W", description = "Size of the held-out reward pool D (default: 512).")
    int heldoutWindows = D.heldoutWindows();

    @Option(names = "--eval-windows", paramLabel = "W", description = "Size of the fixed evaluation set (default: 128).")
    int evalWindows = D.evalWindows();

    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate every K steps (default: 100).")
    long evalEvery = D.evalEvery();

    @Option(names = "--selector", paramLabel = "NAME", defaultValue = "random", description = "Curriculum selector (default: ${DEFAULT-VALUE}); see the list below.")
    String selector;

    @Option(names = "--select-batch", paramLabel = "B", description = "Candidates trained on per step, B (default: 1, the paper).")
    int selectBatch = 1;

    @Option(names = "--score-tokens", paramLabel = "P",
            description = "Score each candidate on its first P tokens only (the scoring pass and a selector's own model cost P/T of a "
                    + "window; the losses are the prefix's, the hidden state the P-th token's) (default: 0 = the whole window).")
    int scoreTokens = 0;

    @Option(names = "--microbatch", paramLabel = "B", description = "Windows per forward/backward when a step trains on several (default: 8).")
    int microbatch = D.microbatch();

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd or adamw (default: adamw; sgd with --paper-exact, whose SGDSTEP is a plain gradient step).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ALPHA", description = "Peak LM learning rate alpha (default: 1e-3).")
    double lr = D.lr();

    @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant", description = "constant, cosine, linear, wsd or rex (default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--warmup", paramLabel = "K", description = "Warm-up steps (default: 0).")
    long warmup = D.warmup();

    @Option(names = "--min-lr-ratio", paramLabel = "R", description = "Final LR as a fraction of --lr for decaying schedules (default: 0.1).")
    double minLrRatio = D.minLrRatio();

    @Option(names = "--decay-fraction", paramLabel = "F", description = "wsd: fraction of the steps spent decaying (default: 0.2).")
    double decayFraction = D.decayFraction();

    @Option(names = "--clip", paramLabel = "G", description = "Max global gradient norm G, 0 = off (default: 1.0).")
    double clip = D.clip();

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW decoupled weight decay (default: 0.01).")
    double weightDecay = D.weightDecay();

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: 0).")
    long seed = D.seed();

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Checkpoint every K steps; 0 = only at the end (default: 0).")
    long checkpointEvery = D.checkpointEvery();

    @Option(names = "--on-nonfinite", paramLabel = "ACTION", defaultValue = "stop", description = "stop or skip on a NaN/inf loss, gradient norm or reward (default: ${DEFAULT-VALUE}).")
    String onNonfinite;

    @Option(names = "--reward", paramLabel = "KIND", defaultValue = "auto", description = "absolute (paper eq. 1), paired-delta (log-prob after minus before the update on the same subset) or auto: what the selector learns best from (soft-q: paired-delta; --paper-exact: absolute) (default: ${DEFAULT-VALUE}).")
    String reward;

    @Option(names = "--init-from", paramLabel = "HF_DIR", description = "Start from a Hugging Face GPT-2 checkpoint (config.json + model.safetensors); --model must match its shape.")
    String initFrom;

    @Option(names = "--shuffle-buffer", paramLabel = "WINDOWS",
            description = "File data: shuffle windows through a seeded buffer of this many and interleave a directory's files; 0 = read in order (default: "
                    + TrainConfig.DEFAULT_SHUFFLE_BUFFER + "; builtin data is already mixed and ignores it).")
    int shuffleBuffer = D.shuffleBuffer();

    @Option(names = "--task", paramLabel = "NAME=PATH",
            description = "A downstream task, hellaswag=FILE.jsonl or mmlu=DIR (repeatable): train scores it at its last evaluation and every --task-every steps; compare also scores every final checkpoint.")
    java.util.Map<String, java.nio.file.Path> tasks = new java.util.LinkedHashMap<>();

    @Option(names = "--task-every", paramLabel = "K",
            description = "Score the --task tasks at every evaluation whose step is a multiple of K (a multiple of --eval-every), logged as task/<name>/acc (default: 0, at the last evaluation only; compare: not during training).")
    long taskEvery;

    @Option(names = "--mmlu-shots", paramLabel = "K", description = "MMLU examples from the dev split (default: 0).")
    int mmluShots;

    @Option(names = "--task-limit", paramLabel = "N", description = "Score at most N questions per task (default: all).")
    int taskLimit;

    @picocli.CommandLine.Mixin
    SoftQOptions softQ = new SoftQOptions();

    @picocli.CommandLine.Mixin
    BaselineOptions baselines = new BaselineOptions();

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", description = "auto, cpu or gpu: where the model runs (default: ${DEFAULT-VALUE}; results are bit-identical only on the same device and thread count).")
    String device;

    TrainConfig toConfig() {
        dev.curlab.model.Devices.use(dev.curlab.model.Devices.resolve(device));
        if (softQ.paperExact) { // the paper: absolute reward (eq. 1), one action per step
            UserError.require(!reward.equals("paired-delta"), "--paper-exact uses the absolute reward (eq. 1); drop --reward " + reward);
            UserError.require(selectBatch == 1, "--paper-exact trains on one action per step; drop --select-batch " + selectBatch);
            UserError.require(optimizer == null || optimizer.equals("sgd"),
                    "--paper-exact takes plain gradient steps on the LM (SGDSTEP, eq. 8); drop --optimizer " + optimizer);
        }
        String optimizer = this.optimizer != null ? this.optimizer : softQ.paperExact ? "sgd" : D.optimizer().spelling();
        return TrainConfig.builder().data(data).heldout(heldout).eval(eval).tokenizer(tokenizer).model(model).context(context)
                .steps(steps).candidates(candidates).heldoutBatch(heldoutBatch).heldoutWindows(heldoutWindows)
                .evalWindows(evalWindows).evalEvery(evalEvery).selector(selector)
                .selectorSettings(new SelectorSettings(selectBatch, softQ.toConfig(), baselines.toConfig(), scoreTokens))
                .microbatch(microbatch).optimizer(optimizer).lr(lr).lrSchedule(lrSchedule).warmup(warmup).minLrRatio(minLrRatio)
                .decayFraction(decayFraction).clip(clip).weightDecay(weightDecay).seed(seed).checkpointEvery(checkpointEvery)
                .onNonfinite(onNonfinite).reward(reward).initFrom(initFrom).scheduleSteps(0).shuffleBuffer(shuffleBuffer)
                .budgetFlops(budgetFlops).downstream(dev.curlab.eval.DownstreamSchedule.of(tasks, taskEvery, mmluShots, taskLimit))
                .build();
    }
}
