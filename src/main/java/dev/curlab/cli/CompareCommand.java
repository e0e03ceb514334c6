package dev.curlab.cli;

import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.grid.CompareGrid;
import dev.curlab.grid.RemoteCells;
import dev.curlab.report.EfficiencyTable;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code curlab compare}: every selector × seed on the same data, model initialisation and evaluation
 * set, into {@code OUT/<selector>/seed<k>/}; then the sample-efficiency table (summary.md,
 * summary.csv, runs.csv) and report.html. Rerunning the same command skips finished runs and resumes
 * unfinished ones from their checkpoints. {@code --preset NAME} fills in a named grid
 * ({@link ComparePreset}); options given on the command line win over the preset's.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run several selectors over several seeds on the same data and compare their sample efficiency.")
final class CompareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = ComparePreset.Names.class,
            description = "A named benchmark grid (${COMPLETION-CANDIDATES}; listed below); options you give win over the preset's.")
    String preset;

    @Option(names = "--selectors", split = ",", paramLabel = "NAME[,NAME...]", hideParamSyntax = true,
            description = "Selectors to compare, e.g. random,loss,soft-q (required unless --preset).")
    List<String> selectors;

    @Option(names = "--seeds", paramLabel = "S", description = "Seeds 0..S-1 (default: 3).")
    Integer seeds;

    @Option(names = "--seed-list", split = ",", paramLabel = "K[,K...]", hideParamSyntax = true, description = "Explicit seeds instead of --seeds, e.g. 0,5,7.")
    List<Long> seedList;

    @Option(names = "--target-loss", paramLabel = "LOSS",
            description = "Target eval loss for examples-to-target (default: random's mean final eval loss).")
    Double targetLoss;

    @Option(names = "--reference", paramLabel = "NAME",
            description = "Selector the paired statistics compare every other against (default: random).")
    String reference;

    @Option(names = "--jobs", paramLabel = "J",
            description = "Run J cells at a time, each in its own process with max(1, threads/J) PyTorch threads (default: 1, in this process).")
    int jobs = 1;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Comparison directory; runs go to DIR/<selector>/seed<k>/.")
    Path out;

    @Option(names = "--overwrite", description = "Start every run afresh, replacing what DIR holds for it.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar; print one line per run instead.")
    boolean noProgress;

    @Mixin
    TrainOptions options;

    /** Runs the unfinished cells elsewhere ({@link Main#commandLine(RemoteCells)}: curlab-spark); null: here or in child JVMs. */
    RemoteCells remote;

    /** What one compare command runs: the shared training settings, the selectors and the seeds. */
    record Plan(TrainConfig base, List<String> selectors, List<Long> seeds) {
    }

    @Override
    public Integer call() {
        Plan plan = plan();
        if (reference != null && !plan.selectors().contains(reference)) {
            throw new UserError("--reference: '" + reference + "' is not one of --selectors " + String.join(",", plan.selectors()));
        }
        CompareGrid.Spec spec = new CompareGrid.Spec(plan.base(), plan.selectors(), plan.seeds(),
                targetLoss == null ? Double.NaN : targetLoss, reference == null ? EfficiencyTable.BASELINE : reference);
        int code = Grids.compare(Grids.runner(out, "compare", overwrite, jobs, remote), spec, "compare", !noProgress);
        if (code == 0 && !options.tasks.isEmpty()) {
            DownstreamTable.write(out, plan.selectors(), plan.seeds(), options.tasks, options.mmluShots, options.taskLimit);
        }
        return code;
    }

    /** Resolves the parsed command line (and --preset, printing its expansion) into the grid to run. */
    Plan plan() {
        var parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--selector")) {
            throw new UserError("--selector names one selector for 'train'; compare takes --selectors NAME[,NAME...]");
        }
        if (parsed.hasMatchedOption("--seed")) {
            throw new UserError("--seed names one seed for 'train'; compare takes --seeds S or --seed-list K[,K...]");
        }
        if (preset != null) {
            applyPreset(ComparePreset.named(preset), parsed);
        }
        if (selectors == null) {
            throw new UserError("--selectors is required (or use --preset NAME; presets: " + ComparePreset.names() + ")");
        }
        if (seeds != null && seedList != null) {
            throw new UserError("--seeds and --seed-list: give one of them, not both");
        }
        List<Long> grid = seedList != null ? seedList : range(seeds == null ? 3 : seeds);
        TrainConfig base = options.toConfig();                                  // checks --task, --task-every, ...
        return new Plan(options.taskEvery > 0 ? base : base.toBuilder().downstream(DownstreamSchedule.NONE).build(), // --task alone: the final checkpoints' table
                selectors, grid);
    }

    /**
     * Sets each option of the preset that the command line left out (a given --seed-list counts as
     * --seeds). The preset's arguments are parsed by a fresh copy of this command, so picocli converts
     * them exactly as it would the user's; --out is required there, so the user's is passed along.
     */
    private void applyPreset(ComparePreset p, CommandLine.ParseResult parsed) {
        List<String> overridden = Presets.apply(spec, new CompareCommand(), p.arguments(), out.toString(),
                name -> parsed.hasMatchedOption(name) || name.equals("--seeds") && parsed.hasMatchedOption("--seed-list"));
        p.requireUserOptions(parsed::hasMatchedOption);
        System.out.println("preset " + p.name() + ": " + String.join(" ", p.arguments())
                + (overridden.isEmpty() ? "" : " (overridden on the command line: " + String.join(", ", overridden) + ")"));
    }

    private static List<Long> range(int s) {
        if (s < 1) {
            throw new UserError("--seeds must be >= 1, got " + s);
        }
        List<Long> out = new ArrayList<>();
        for (long k = 0; k < s; k++) {
            out.add(k);
        }
        return out;
    }
}
