package dev.curlab.cli;

import dev.curlab.rl.RlConfig;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab demo}: a short {@code compare} of random, loss, rho-loss, soft-q and oracle-mixture (those that
 * are registered) on builtin:mixture with one seed, then the table and the report; then the RL part: a
 * supervised warm start on worked arithmetic and an {@code rl-compare} of uniform and learnability-history on
 * a wider arithmetic bank (RESULTS R's arena, one seed). Re-running it replaces the previous demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare random, loss, rho-loss, soft-q and oracle-mixture on builtin:mixture, then uniform and learnability-history RL curators on arithmetic, for a few minutes; print the tables and write the reports.")
final class DemoCommand implements Callable<Integer> {
    static final List<String> WANTED = List.of("random", "loss", "rho-loss", "soft-q", "oracle-mixture");

    @Option(names = "--out", paramLabel = "DIR", description = "Where the demo goes (default: ${DEFAULT-VALUE}); a previous demo there is replaced.",
            defaultValue = "runs/demo")
    Path out;

    @Option(names = "--steps", paramLabel = "K", description = "Training steps per selector (default: ${DEFAULT-VALUE}).", defaultValue = "800")
    long steps;

    @Option(names = "--rl-steps", paramLabel = "K", description = "RL steps per curator in the RL part, 0 = no RL part (default: ${DEFAULT-VALUE}).", defaultValue = "150")
    long rlSteps;

    @Option(names = "--rl-warm-steps", paramLabel = "K", description = "Supervised warm-start steps before the RL part (default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    long warmSteps;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    /** The warm start's data: worked examples of the easier families (RESULTS R). */
    static final String WARM_DATA = "builtin:arith-sft?families=add:1-2,mul:1,chain:2-3";
    /** The RL bank: the same families and three-digit sums and four-term chains the warm start never saw. */
    static final String RL_TASKS = "builtin:arith?families=add:1-3,mul:1,chain:2-4";
    static final List<String> RL_CURATORS = List.of("uniform", "learnability-history");
    /**
     * The held-out pass@1 whose rollouts-to-reach the RL table shows: above the warm start's (0.365 with one
     * thread in RESULTS R, 0.465 with the launcher's two), below what uniform reaches in 150 steps.
     */
    static final double RL_TARGET = 0.5;

    /** The demo's settings: small enough that the whole grid runs in a few minutes on two cores. */
    static TrainConfig config(long steps) {
        TrainConfig d = TrainConfig.defaults("builtin:mixture");
        long evalEvery = Math.max(1, steps / 10);
        return new TrainConfig(d.data(), d.heldout(), d.eval(), d.tokenizer(), d.model(), d.context(),
                steps, 16, 8, 256, 64, evalEvery,
                d.selector(), d.selectorSettings(), d.microbatch(),
                d.optimizer(), d.lr(), d.lrSchedule(), d.warmup(), d.minLrRatio(), d.decayFraction(),
                d.clip(), d.weightDecay(), 0, 0, d.onNonfinite(), d.reward(), d.initFrom());
    }

    /** The warm start: random selection of 16 windows a step (every candidate trained), lr 3e-3 (RESULTS R). */
    static TrainConfig warmStart(long steps) {
        TrainConfig d = TrainConfig.defaults(WARM_DATA);
        SelectorSettings all = new SelectorSettings(16, d.selectorSettings().softQ(), d.selectorSettings().baselines(),
                d.selectorSettings().scoreTokens());
        return new TrainConfig(d.data(), d.heldout(), d.eval(), d.tokenizer(), d.model(), d.context(),
                steps, 16, d.heldoutBatch(), d.heldoutWindows(), d.evalWindows(), Math.max(1, steps / 2),
                "random", all, d.microbatch(),
                d.optimizer(), 3e-3, d.lrSchedule(), d.warmup(), d.minLrRatio(), d.decayFraction(),
                d.clip(), d.weightDecay(), 0, 0, d.onNonfinite(), d.reward(), d.initFrom());
    }

    /** The RL runs: one seed per curator from the warm start in {@code warm}, held-out pass@1 every 25 steps. */
    static List<RlConfig> rlCells(Path warm, long steps) {
        return RL_CURATORS.stream().map(c -> RlConfig.builder().tasks(RL_TASKS).initFrom(warm.toString()).curator(c).steps(steps)
                .maxNew(6).lr(3e-4).evalEvery((int) Math.max(1, Math.min(25, steps))).seed(0).build()).toList();
    }

    /** The RL part into {@code out}/rl-warm (the warm start) and {@code out}/rl (the curators); 0 when it finished. */
    static int rlPart(Path out, long warmSteps, long rlSteps, boolean progress) throws IOException {
        System.out.println("curlab demo: RL part: a warm start on worked arithmetic (" + warmSteps
                + " steps), then uniform against learnability-history for " + rlSteps + " RL steps");
        Path warm = out.resolve("rl-warm");
        int rc = trainWarmStart(warm, warmSteps, true, progress, "demo warm start");
        return rc != 0 ? rc : RlCompareCommand.run(rlCells(warmRun(warm), rlSteps), out.resolve("rl"), RL_TARGET);
    }

    /**
     * The warm start as a one-run grid in {@code dir} (a finished one is read, an interrupted one resumed);
     * 0 when its run, {@link #warmRun}, holds the trained policy.
     */
    static int trainWarmStart(Path dir, long steps, boolean overwrite, boolean progress, String label) {
        return CompareCommand.run(warmStart(steps), List.of("random"), List.of(0L), dir, Double.NaN, overwrite, progress, label);
    }

    /** The run directory of the warm start trained into {@code dir}. */
    static Path warmRun(Path dir) {
        return dir.resolve("random").resolve("seed0");
    }

    /**
     * Clears a previous demo in {@code out} for a rerun: deletes what curlab wrote there and keeps
     * (and names) what a user left; refuses a non-empty directory that holds no previous demo.
     */
    static void clearPrevious(Path out) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isRegularFile(out.resolve("compare.json"))) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("--out " + out + " is not empty and holds no previous demo; choose another directory");
                }
            }
            return;                                                             // an empty directory
        }
        byte[] grid = Files.readAllBytes(out.resolve("compare.json"));
        java.util.List<Path> kept = dev.curlab.util.CurlabFiles.deleteWritten(out);     // a user's notes stay
        if (!kept.isEmpty()) {
            Files.write(out.resolve("compare.json"), grid);                     // still a demo's directory if this rerun stops early
            System.err.println("curlab: kept what curlab did not write in " + out + ": " + dev.curlab.util.CurlabFiles.list(kept));
        }
    }

    @Override
    public Integer call() throws IOException {
        UserError.require(rlSteps >= 0, "--rl-steps must be >= 0 (0 = no RL part), got " + rlSteps);
        UserError.require(warmSteps >= 1, "--rl-warm-steps must be >= 1, got " + warmSteps);
        List<String> selectors = WANTED.stream().filter(Selectors::exists).toList();
        clearPrevious(out);
        int rc = CompareCommand.run(config(steps), selectors, List.of(0L), out, Double.NaN, true, !noProgress, "demo");
        return rc != 0 || rlSteps == 0 ? rc : rlPart(out, warmSteps, rlSteps, !noProgress);
    }

}
