package dev.curlab.cli;

import dev.curlab.grid.Cell;
import dev.curlab.grid.GridRunner;
import dev.curlab.grid.RemoteCells;
import dev.curlab.grid.RlCompareGrid;
import dev.curlab.rl.RlConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code curlab rl-compare}: the same RL run under several curators and seeds, one after another (or
 * {@code --jobs} at a time), into OUT/&lt;curator&gt;/seed&lt;s&gt;, then the table of {@link dev.curlab.rl.RlTable}
 * (printed and written to OUT/table.md). A cell that already finished is
 * read as it is; one that was interrupted is resumed. A command of its own rather than a mode of
 * {@code compare}: its options (bank, curators, rollouts) share nothing with the pretraining grid's.
 */
@Command(name = "rl-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run curlab rl for each curator and seed and tabulate held-out pass@1 against rollouts and FLOPs.")
final class RlCompareCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME", description = "A named grid: curators (every curator on RESULTS R's bank), "
            + "curators-chain (on chains of 2-6 terms) or arena (the field's baselines at 10 seeds on the fixed built-in bank); it first trains the demo's warm start into OUT/warm unless --init-from is "
            + "given. Options you give win over the preset's.")
    String preset;

    @Option(names = "--warm-steps", paramLabel = "K", description = "With --preset and no --init-from: steps of the warm start (default: ${DEFAULT-VALUE}).")
    long warmSteps = 2000;

    @Mixin
    RlOptions options = new RlOptions();

    @Option(names = "--curators", paramLabel = "LIST", split = ",", description = "Curators to compare (default: uniform,learnability).")
    List<String> curators = List.of("uniform", "learnability");

    @Option(names = "--seeds", paramLabel = "S", description = "Seeds 0..S-1 per curator (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--target", paramLabel = "ACC", description = "Held-out pass@1 whose rollouts-to-reach are tabulated (default: 0 = 80%% of the lowest best pass@1 among the runs, or halfway from the highest start to it when that is not above the start).")
    double target;

    @Option(names = "--jobs", paramLabel = "J",
            description = "Run J cells at a time, each in its own process with max(1, threads/J) PyTorch threads (default: 1, in this process).")
    int jobs = 1;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory of the runs (DIR/<curator>/seed<s>) and table.md.")
    Path out;

    @Option(names = "--no-progress", description = "No progress lines; print each cell's eval lines instead.")
    boolean noProgress;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Runs the unfinished cells elsewhere ({@link Main#commandLine(RemoteCells)}: curlab-spark); null: here or in child JVMs. */
    RemoteCells remote;

    @Override
    public Integer call() throws IOException {
        if (preset != null) {
            applyPreset(RlPreset.named(preset), spec.commandLine().getParseResult());
        }
        UserError.require(seeds >= 1, "--seeds must be >= 1, got " + seeds);
        UserError.require(jobs >= 1, "--jobs must be >= 1, got " + jobs);                  // before a preset's warm start
        UserError.require(target >= 0 && target <= 1, "--target must be in [0, 1] (0 = automatic), got " + target);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String c : curators) {
            UserError.require(seen.add(c), "--curators names " + c + " twice; give each curator once");
        }
        List<RlConfig> cells = new ArrayList<>();
        for (String c : curators) {
            for (int s = 0; s < seeds; s++) {
                cells.add(options.toConfig(c, s));                              // every cell is checked before the first runs
            }
        }
        RlCompareGrid.cells(cells).forEach(Cell::requireFits);              // before the warm start or any cell runs
        GridRunner runner = Grids.runner(out, "rl-compare", false, jobs, remote);
        if (preset != null && options.initFrom == null) {                           // the preset's warm start, resumed or skipped when done
            UserError.require(warmSteps >= 1, "--warm-steps must be >= 1, got " + warmSteps);
            Path warm = out.resolve("warm");
            int rc = DemoSettings.trainWarmStart(warm, warmSteps, false, false, "rl-compare warm start");
            if (rc != 0) {
                return rc;
            }
            String from = DemoSettings.warmRun(warm).toString();
            cells.replaceAll(c -> c.withInitFrom(from));
        }
        return Grids.rlCompare(runner, cells, target, !noProgress);
    }

    /** Sets the preset's options that the command line did not give, and prints what it stands for. */
    private void applyPreset(RlPreset p, picocli.CommandLine.ParseResult parsed) {
        List<String> overridden = Presets.apply(spec, new RlCompareCommand(), p.arguments(), out.toString(), parsed::hasMatchedOption);
        System.out.println("preset " + p.name() + ": " + String.join(" ", p.arguments())
                + (overridden.isEmpty() ? "" : " (overridden on the command line: " + String.join(", ", overridden) + ")"));
    }
}
