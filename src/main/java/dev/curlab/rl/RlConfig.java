package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * Every setting of an RL run, validated here with messages that name the option; saved in config.json.
 *
 * @param tasks           problem bank: builtin:arith[?families=...], builtin:arith-bank?size=N[&...] or a .jsonl/.parquet file (docs/rl-banks.md)
 * @param initFrom        starting policy: a curlab run or checkpoint, or a Hugging Face GPT-2 directory (null: fresh --model)
 * @param curator         a curator of {@link Curators#NAMES}, with settings ({@code NAME?key=value&...})
 * @param model           preset of a fresh policy (ignored with --init-from)
 * @param context         context of a fresh policy (prompt + completion must fit)
 * @param steps           RL steps
 * @param candidates      N, problems drawn per step
 * @param batch           B, problems picked per step
 * @param group           G, rollouts per picked problem
 * @param temperature     sampling temperature of rollouts (> 0)
 * @param maxNew          most tokens generated per completion
 * @param lr              AdamW learning rate (constant)
 * @param clip            global gradient-norm clip (0 = none)
 * @param evalEvery       steps between greedy pass@1 evaluations on the held-out set
 * @param heldout         problems in the held-out set
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param seed            seed of the bank, the sampling and the curator
 * @param verifier        exact or numeric
 * @param tolerance       relative tolerance of the numeric verifier
 * @param probeEvery      steps between the oracle's probes
 * @param probeProblems   oracle probe problems per bucket
 * @param probeRollouts   oracle rollouts per probe problem
 * @param klCoef          beta of the KL penalty to the starting (reference) policy, k3 estimator per completion token (0 = none)
 * @param passK           k of the sampled pass@k also measured at each evaluation (0 = off: greedy pass@1 only)
 * @param passKSamples    n, completions sampled per held-out problem for pass@k (n >= k; given as 0: n = k)
 * @param heldoutTasks    a held-out bank file of its own (null: --heldout problems split off --tasks)
 * @param answerFormat    where the answer sits in a completion: exact, last-number, gsm8k or boxed
 * @param bankFormat      format of a bank file: auto (from its columns), curlab, verl, trl, gsm8k or math
 * @param promptKey       column of the prompt when it is not the format's (null: the format's)
 * @param answerKey       column of the answer when it is not the format's (null: the format's)
 * @param stop            when a completion ends: newline, eos or a stop string ({@link StopRule}; absent in an older config.json: newline)
 */
public record RlConfig(String tasks, String initFrom, String curator, String model, int context, long steps,
        int candidates, int batch, int group, double temperature, int maxNew, double lr, double clip, int evalEvery,
        int heldout, int checkpointEvery, long seed, Verifier.Kind verifier, double tolerance, int probeEvery,
        int probeProblems, int probeRollouts, double klCoef, int passK, int passKSamples,
        String heldoutTasks, AnswerFormat answerFormat, BankFormat bankFormat, String promptKey, String answerKey, String stop) {

    /** Defaults for the builtin demo. */
    public static RlConfig defaults() {
        return new RlConfig("builtin:arith", null, "learnability-history", "nano", 64, 200, 64, 8, 8, 1.0, 12, 3e-4, 1.0, 25,
                200, 50, 0, Verifier.Kind.EXACT, 1e-6, 25, 2, 4, 0.0, 0, 0,
                null, AnswerFormat.EXACT, BankFormat.AUTO, null, null, StopRule.NEWLINE);
    }

    public RlConfig {
        positive("--steps", steps);
        positive("--candidates", candidates);
        positive("--batch", batch);
        positive("--context", context);
        UserError.require(batch <= candidates, "--batch (" + batch + ") must be <= --candidates (" + candidates + ")");
        UserError.require(group >= 2, "--group must be >= 2 (advantages are relative within a group), got " + group);
        UserError.require(temperature > 0 && Double.isFinite(temperature), "--temperature must be a finite number > 0, got " + temperature);
        positive("--max-new", maxNew);
        UserError.require(lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
        UserError.require(clip >= 0 && Double.isFinite(clip), "--clip must be a finite number >= 0 (0 = none), got " + clip);
        positive("--eval-every", evalEvery);
        positive("--heldout", heldout);
        UserError.require(checkpointEvery >= 0, "--checkpoint-every must be >= 0 (0 = only at the end), got " + checkpointEvery);
        positive("--probe-every", probeEvery);
        positive("--probe-problems", probeProblems);
        positive("--probe-rollouts", probeRollouts);
        UserError.require(klCoef >= 0 && Double.isFinite(klCoef), "--kl-coef must be a finite number >= 0 (0 = no KL penalty), got " + klCoef);
        UserError.require(passK >= 0, "--pass-k must be >= 0 (0 = off), got " + passK);
        UserError.require(passKSamples >= 0, "--pass-k-samples must be >= 0 (0 = as many as --pass-k), got " + passKSamples);
        UserError.require(passK > 0 || passKSamples == 0, "--pass-k-samples (" + passKSamples + ") needs --pass-k >= 1");
        if (passKSamples == 0) {
            passKSamples = passK;                                              // n = k unless given
        }
        UserError.require(passKSamples >= passK, "--pass-k-samples (" + passKSamples + ") must be >= --pass-k (" + passK + ")");
        new Verifier(verifier, tolerance); // checks both
        answerFormat = answerFormat == null ? AnswerFormat.EXACT : answerFormat;  // config.json of older runs: the defaults
        bankFormat = bankFormat == null ? BankFormat.AUTO : bankFormat;
        new BankOptions(heldoutTasks, bankFormat, promptKey, answerKey);                    // checks them
        if (stop == null) {
            stop = StopRule.NEWLINE;                                           // a config.json saved before --stop existed
        }
        StopRule.parse(stop);
        UserError.require(tasks != null && !tasks.isBlank(), "--tasks is required (builtin:arith or a .jsonl file)");
        UserError.require(heldoutTasks == null || !heldoutTasks.equals(tasks), "--heldout-tasks " + heldoutTasks
                + " is the --tasks file; give a separate held-out bank, or leave it out to hold out --heldout problems of --tasks");
        UserError.require(curator != null, "--curator is required");
        Curators.check(curator, batch);                                              // name and settings, before anything runs
    }

    private static void positive(String option, long v) {
        UserError.require(v >= 1, option + " must be >= 1, got " + v);
    }

    /** This config with {@code steps} steps in all (a resume continued further). */
    public RlConfig withSteps(long n) {
        return toBuilder().steps(n).build();
    }

    /** This config starting from the policy in {@code dir}. */
    public RlConfig withInitFrom(String dir) {
        return toBuilder().initFrom(dir).build();
    }

    /** A builder holding the defaults; set what differs, then {@link Builder#build()} validates. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tasks = tasks;
        b.initFrom = initFrom;
        b.curator = curator;
        b.model = model;
        b.context = context;
        b.steps = steps;
        b.candidates = candidates;
        b.batch = batch;
        b.group = group;
        b.temperature = temperature;
        b.maxNew = maxNew;
        b.lr = lr;
        b.clip = clip;
        b.evalEvery = evalEvery;
        b.heldout = heldout;
        b.checkpointEvery = checkpointEvery;
        b.seed = seed;
        b.verifier = verifier;
        b.tolerance = tolerance;
        b.probeEvery = probeEvery;
        b.probeProblems = probeProblems;
        b.probeRollouts = probeRollouts;
        b.klCoef = klCoef;
        b.passK = passK;
        b.passKSamples = passKSamples;
        b.heldoutTasks = heldoutTasks;
        b.answerFormat = answerFormat;
        b.bankFormat = bankFormat;
        b.promptKey = promptKey;
        b.answerKey = answerKey;
        b.stop = stop;
        return b;
    }

    /** Named setters for every field (one per component, in the record's order), so adding a field touches no call site. */
    public static final class Builder {
        private String tasks;
        private String initFrom;
        private String curator;
        private String model;
        private int context;
        private long steps;
        private int candidates;
        private int batch;
        private int group;
        private double temperature;
        private int maxNew;
        private double lr;
        private double clip;
        private int evalEvery;
        private int heldout;
        private int checkpointEvery;
        private long seed;
        private Verifier.Kind verifier;
        private double tolerance;
        private int probeEvery;
        private int probeProblems;
        private int probeRollouts;
        private double klCoef;
        private int passK;
        private int passKSamples;
        private String heldoutTasks;
        private AnswerFormat answerFormat;
        private BankFormat bankFormat;
        private String promptKey;
        private String answerKey;
        private String stop;

        private Builder() {
        }

        public Builder tasks(String v) {
            tasks = v;
            return this;
        }

        public Builder initFrom(String v) {
            initFrom = v;
            return this;
        }

        public Builder curator(String v) {
            curator = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder context(int v) {
            context = v;
            return this;
        }

        public Builder steps(long v) {
            steps = v;
            return this;
        }

        public Builder candidates(int v) {
            candidates = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder group(int v) {
            group = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder maxNew(int v) {
            maxNew = v;
            return this;
        }

        public Builder lr(double v) {
            lr = v;
            return this;
        }

        public Builder clip(double v) {
            clip = v;
            return this;
        }

        public Builder evalEvery(int v) {
            evalEvery = v;
            return this;
        }

        public Builder heldout(int v) {
            heldout = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder verifier(Verifier.Kind v) {
            verifier = v;
            return this;
        }

        public Builder verifier(String spelling) {
            return verifier(spelling == null ? null : Verifier.Kind.of(spelling));
        }

        public Builder tolerance(double v) {
            tolerance = v;
            return this;
        }

        public Builder probeEvery(int v) {
            probeEvery = v;
            return this;
        }

        public Builder probeProblems(int v) {
            probeProblems = v;
            return this;
        }

        public Builder probeRollouts(int v) {
            probeRollouts = v;
            return this;
        }

        public Builder klCoef(double v) {
            klCoef = v;
            return this;
        }

        public Builder passK(int v) {
            passK = v;
            return this;
        }

        public Builder passKSamples(int v) {
            passKSamples = v;
            return this;
        }

        public Builder heldoutTasks(String v) {
            heldoutTasks = v;
            return this;
        }

        public Builder answerFormat(AnswerFormat v) {
            answerFormat = v;
            return this;
        }

        public Builder answerFormat(String spelling) {
            return answerFormat(spelling == null ? null : AnswerFormat.of(spelling, "--answer-format"));
        }

        public Builder bankFormat(BankFormat v) {
            bankFormat = v;
            return this;
        }

        public Builder bankFormat(String spelling) {
            return bankFormat(spelling == null ? null : BankFormat.of(spelling));
        }

        public Builder promptKey(String v) {
            promptKey = v;
            return this;
        }

        public Builder answerKey(String v) {
            answerKey = v;
            return this;
        }

        public Builder stop(String v) {
            stop = v;
            return this;
        }

        public RlConfig build() {
            return new RlConfig(tasks, initFrom, curator, model, context, steps, candidates, batch, group, temperature, maxNew, lr, clip, evalEvery, heldout, checkpointEvery, seed, verifier, tolerance, probeEvery, probeProblems, probeRollouts, klCoef, passK, passKSamples,
                    heldoutTasks, answerFormat, bankFormat, promptKey, answerKey, stop);
        }
    }
}
