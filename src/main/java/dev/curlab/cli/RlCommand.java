package dev.curlab.cli;

import dev.curlab.rl.Curators;
import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlRuns;
import dev.curlab.rl.RlTrainer;
import dev.curlab.train.StopSignal;
import dev.curlab.util.UserError;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code curlab rl}: RL post-training on verifiable problems with a problem curator, or the continuation of such a run. */
@Command(name = "rl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Post-train a policy with GRPO on verifiable problems picked by a curator; write a run directory.")
final class RlCommand implements Callable<Integer> {
    private static final RlConfig D = RlConfig.defaults();

    @Option(names = "--tasks", paramLabel = "SPEC", description = "Problem bank: builtin:arith[?families=add,mul,chain,rev], a .jsonl file of {\"prompt\", \"answer\", \"source\", \"params\"} lines"
            + " or a .parquet file with those columns (params: a STRUCT of numbers) (default: ${DEFAULT-VALUE}).")
    String tasks = D.tasks();

    @Option(names = "--init-from", paramLabel = "DIR", description = "Starting policy: a curlab run (its newest checkpoint), a curlab checkpoint or a Hugging Face GPT-2 directory (default: a fresh --model).")
    String initFrom;

    @Option(names = "--curator", paramLabel = "NAME", description = "Problem curator: " + Curators.NAMES + ", or " + Curators.REMOTE + " (a curlab serve service) (default: ${DEFAULT-VALUE}).")
    String curator = D.curator();

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

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the bank, sampling and curator (default: ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--verifier", paramLabel = "KIND", description = "exact (after whitespace normalisation) or numeric (default: ${DEFAULT-VALUE}).")
    String verifier = D.verifier();

    @Option(names = "--tolerance", paramLabel = "REL", description = "Relative tolerance of --verifier numeric (default: ${DEFAULT-VALUE}).")
    double tolerance = D.tolerance();

    @Option(names = "--probe-every", paramLabel = "K", description = "difficulty-oracle: steps between probes (default: ${DEFAULT-VALUE}).")
    int probeEvery = D.probeEvery();

    @Option(names = "--probe-problems", paramLabel = "P", description = "difficulty-oracle: probe problems per bucket (default: ${DEFAULT-VALUE}).")
    int probeProblems = D.probeProblems();

    @Option(names = "--probe-rollouts", paramLabel = "R", description = "difficulty-oracle: rollouts per probe problem (default: ${DEFAULT-VALUE}).")
    int probeRollouts = D.probeRollouts();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/rl-<curator>-seed<seed>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing run in --out (kept until the new run's first checkpoint).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the RL run in RUN_DIR from its newest intact checkpoint (its settings come from its config.json; --steps K continues it to K steps in all).")
    Path resume;

    @Option(names = "--no-progress", description = "No progress lines; print eval lines instead.")
    boolean noProgress;

    /** The config these options start (with --resume: what they are checked against). */
    RlConfig toConfig() {
        return new RlConfig(tasks, initFrom, curator, model, context, steps, candidates, batch, group, temperature, maxNew, lr, clip,
                evalEvery, heldout, checkpointEvery, seed, verifier, tolerance, probeEvery, probeProblems, probeRollouts, klCoef,
                passK, passKSamples);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StopSignal stop = StopSignal.install();
        RlTrainer trainer;
        RlConsoleListener console = new RlConsoleListener(System.out, !noProgress);
        try {
            if (resume != null) {
                long total = ResumeOptions.checkRl(spec.commandLine().getParseResult(), this::toConfig, RlRuns.savedConfig(resume),
                        resume, () -> steps);
                trainer = RlRuns.resume(resume, total, console, stop);
            } else {
                RlConfig cfg = toConfig();
                Path dir = out != null ? out : Path.of("runs", "rl-" + cfg.curator().replaceAll("[^A-Za-z0-9._?=&,-]+", "_") + "-seed" + cfg.seed());
                trainer = RlRuns.start(cfg, dir, overwrite, console, stop);
            }
        } catch (UncheckedIOException e) {
            stop.uninstall();
            throw new UserError(TrainCommand.ioFailure(e), e);
        } catch (RuntimeException e) {
            stop.uninstall();
            throw e;
        }
        try (trainer) {
            RlTrainer.Result r = trainer.run();
            Path dir = trainer.runDirectory().dir();
            if (r.stopped()) {
                System.err.println("curlab: stopped at step " + r.steps() + "; checkpoint written to " + r.checkpoint()
                        + "; resume with: curlab rl --resume " + dir);
                return Main.EXIT_STOPPED;
            }
            System.out.println("report: " + dev.curlab.report.RlReport.write(dir.resolve("report.html"),
                    String.valueOf(dir.toAbsolutePath().normalize().getFileName()), java.util.List.of(dir)).toAbsolutePath());
            System.out.println("run directory: " + dir.toAbsolutePath());
            return 0;
        } catch (UncheckedIOException e) {
            throw new UserError(TrainCommand.ioFailure(e) + "; resume with: curlab rl --resume " + trainer.runDirectory().dir(), e);
        } finally {
            stop.uninstall();
        }
    }
}
