package dev.curlab.cli;

import dev.curlab.rl.RlConfig;
import picocli.CommandLine.Option;

/**
 * The options of one RL run that {@code rl} and {@code rl-compare} share, declared once (picocli mixin).
 * The curator and the seed are the grid's dimensions in {@code rl-compare}, so each command declares them.
 */
final class RlOptions {
    private static final RlConfig D = RlConfig.defaults();

    @Option(names = "--tasks", paramLabel = "SPEC", description = "Problem bank: builtin:arith[?families=add,mul,chain,rev] (a fresh problem each draw),"
            + " builtin:arith-bank?size=512[&families=...][&bank-seed=0] (a fixed bank trained over epochs), or a .jsonl or .parquet file"
            + " in curlab's format ({\"prompt\", \"answer\", \"source\", \"params\"}) or verl's, TRL's, GSM8K's or MATH's (see --bank-format)"
            + " (default: ${DEFAULT-VALUE}).")
    String tasks = D.tasks();

    @Option(names = "--init-from", paramLabel = "DIR", description = "Starting policy: a curlab run (its newest checkpoint), a curlab checkpoint or a Hugging Face GPT-2 directory (default: a fresh --model).")
    String initFrom;

    @Option(names = "--model", paramLabel = "PRESET", description = "Preset of a fresh policy, without --init-from (default: ${DEFAULT-VALUE}).")
    String model = D.model();

    @Option(names = "--context", paramLabel = "T", description = "Context of a fresh policy (default: ${DEFAULT-VALUE}).")
    int context = D.context();

    @Option(names = "--steps", paramLabel = "K", description = "RL steps (default: ${DEFAULT-VALUE}).")
    long steps = D.steps();

    @Option(names = {"--candidates", "-N"}, paramLabel = "N", description = "Candidate problems drawn per step (default: ${DEFAULT-VALUE}).")
    int candidates = D.candidates();

    @Option(names = {"--batch", "-B"}, paramLabel = "B", description = "Problems the curator picks per step (default: ${DEFAULT-VALUE}).")
    int batch = D.batch();

    @Option(names = {"--group", "-G"}, paramLabel = "G", description = "Completions sampled per picked problem (default: ${DEFAULT-VALUE}).")
    int group = D.group();

    @Option(names = "--temperature", paramLabel = "TAU", description = "Sampling temperature of rollouts (default: ${DEFAULT-VALUE}).")
    double temperature = D.temperature();

    @Option(names = "--max-new", paramLabel = "TOKENS", description = "Most tokens per completion (default: ${DEFAULT-VALUE}).")
    int maxNew = D.maxNew();

    @Option(names = "--stop", paramLabel = "RULE", description = "When a completion ends: newline (at end-of-text or the first newline), eos (at end-of-text only: "
            + "multi-line completions) or a stop string, the text cut before it (\\n, \\t read as escapes; end-of-text also ends) (default: ${DEFAULT-VALUE}).")
    String stop = D.stop();

    @Option(names = "--lr", paramLabel = "LR", description = "AdamW learning rate, constant (default: ${DEFAULT-VALUE}).")
    double lr = D.lr();

    @Option(names = "--clip", paramLabel = "G", description = "Global gradient-norm clip, 0 = none (default: ${DEFAULT-VALUE}).")
    double clip = D.clip();

    @Option(names = "--kl-coef", paramLabel = "BETA", description = "KL penalty to the starting policy, beta x k3 estimate per completion token (DeepSeekMath's GRPO); 0 = none (default: ${DEFAULT-VALUE}).")
    double klCoef = D.klCoef();

    @Option(names = "--eval-every", paramLabel = "K", description = "Steps between greedy pass@1 evaluations on the held-out set (default: ${DEFAULT-VALUE}).")
    int evalEvery = D.evalEvery();

    @Option(names = "--pass-k", paramLabel = "K", description = "Also measure sampled pass@k on the held-out set at each evaluation (unbiased estimator of Chen et al. 2021, at --temperature); 0 = off (default: ${DEFAULT-VALUE}).")
    int passK = D.passK();

    @Option(names = "--pass-k-samples", paramLabel = "N", description = "Completions sampled per held-out problem for --pass-k, N >= K; more lower the estimate's variance (default: K).")
    int passKSamples = D.passKSamples();

    @Option(names = "--heldout", paramLabel = "P", description = "Held-out problems, never shown to the curator (default: ${DEFAULT-VALUE}).")
    int heldout = D.heldout();

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Steps between checkpoints, 0 = only at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--verifier", paramLabel = "KIND", description = "exact (after whitespace normalisation) or numeric (default: ${DEFAULT-VALUE}).")
    String verifier = D.verifier().spelling();

    @Option(names = "--tolerance", paramLabel = "REL", description = "Relative tolerance of --verifier numeric (default: ${DEFAULT-VALUE}).")
    double tolerance = D.tolerance();

    @Option(names = "--probe-every", paramLabel = "K", description = "difficulty-oracle: steps between probes (default: ${DEFAULT-VALUE}).")
    int probeEvery = D.probeEvery();

    @Option(names = "--probe-problems", paramLabel = "P", description = "difficulty-oracle: probe problems per bucket (default: ${DEFAULT-VALUE}).")
    int probeProblems = D.probeProblems();

    @Option(names = "--probe-rollouts", paramLabel = "R", description = "difficulty-oracle: rollouts per probe problem (default: ${DEFAULT-VALUE}).")
    int probeRollouts = D.probeRollouts();

    @Option(names = "--heldout-tasks", paramLabel = "FILE", description = "A held-out bank of its own (.jsonl or .parquet, like verl's val_files): all its problems are the held-out set"
            + " and --heldout is not used; training problems with one of its prompts are dropped (default: --heldout problems split off --tasks).")
    String heldoutTasks = D.heldoutTasks();

    @Option(names = "--bank-format", paramLabel = "FORMAT", description = "Format of a bank file: auto (from its columns), curlab, verl, trl, gsm8k or math; see docs/rl-banks.md (default: ${DEFAULT-VALUE}).")
    String bankFormat = D.bankFormat().spelling();

    @Option(names = "--prompt-key", paramLabel = "COLUMN", description = "Column of the prompt when it is not the format's (a string or {role, content} messages).")
    String promptKey = D.promptKey();

    @Option(names = "--answer-key", paramLabel = "COLUMN", description = "Column of the reference answer when it is not the format's (a dot reaches into a struct: reward_model.ground_truth).")
    String answerKey = D.answerKey();

    @Option(names = "--answer-format", paramLabel = "FORMAT", description = "Where the answer sits in a completion: exact (all of it), last-number, gsm8k (after the last ####) or boxed (the last \\boxed{...}) (default: ${DEFAULT-VALUE}).")
    String answerFormat = D.answerFormat().spelling();

    /** The config of these options for one curator and seed. */
    RlConfig toConfig(String curator, long seed) {
        return RlConfig.builder().tasks(tasks).initFrom(initFrom).curator(curator).model(model).context(context).steps(steps)
                .candidates(candidates).batch(batch).group(group).temperature(temperature).maxNew(maxNew).lr(lr).clip(clip)
                .evalEvery(evalEvery).heldout(heldout).checkpointEvery(checkpointEvery).seed(seed).verifier(verifier)
                .tolerance(tolerance).probeEvery(probeEvery).probeProblems(probeProblems).probeRollouts(probeRollouts)
                .klCoef(klCoef).passK(passK).passKSamples(passKSamples).heldoutTasks(heldoutTasks).bankFormat(bankFormat)
                .promptKey(promptKey).answerKey(answerKey).answerFormat(answerFormat).stop(stop).build();
    }
}
