package dev.curlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.report.CompareReport;
import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.report.EfficiencyTable;
import dev.curlab.report.MachineLog;
import dev.curlab.report.MetricsFile;
import dev.curlab.report.PairedStats;
import dev.curlab.report.RunData;
import dev.curlab.report.StatsFiles;
import dev.curlab.report.TaskCurves;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.train.CheckpointStore;
import dev.curlab.train.StopSignal;
import dev.curlab.train.MemoryBudget;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.train.TrainerListener;
import dev.curlab.util.MachineInfo;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    /** Runs the unfinished cells elsewhere (the curlab-spark entry point sets it); null: here or in child JVMs. */
    CellRunner runner;

    /** What one compare command runs: the shared training settings, the selectors and the seeds. */
    record Plan(TrainConfig base, List<String> selectors, List<Long> seeds) {
    }

    @Override
    public Integer call() {
        Plan plan = plan();
        if (reference != null && !plan.selectors().contains(reference)) {
            throw new UserError("--reference: '" + reference + "' is not one of --selectors " + String.join(",", plan.selectors()));
        }
        int code = run(plan.base(), plan.selectors(), plan.seeds(), out, targetLoss == null ? Double.NaN : targetLoss, overwrite,
                !noProgress, "compare", reference == null ? EfficiencyTable.BASELINE : reference, jobs, runner);
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

    /** Checks the grid before anything runs; throws a one-line {@link UserError} on a mistake. */
    static void validate(List<String> selectors, List<Long> seeds, double targetLoss) {
        if (selectors.isEmpty() || selectors.stream().anyMatch(String::isBlank)) {
            throw new UserError("--selectors: expected a comma-separated list of selector names, e.g. random,loss");
        }
        for (String s : selectors) {
            if (!Selectors.exists(s)) {
                throw new UserError("--selectors: unknown selector '" + s + "' (expected one of "
                        + String.join(", ", Selectors.names()) + ")");
            }
        }
        if (new LinkedHashSet<>(selectors).size() != selectors.size()) {
            throw new UserError("--selectors: a selector is named twice in " + String.join(",", selectors));
        }
        if (seeds.isEmpty() || new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new UserError("--seed-list: expected distinct seeds, got " + seeds);
        }
        if (seeds.stream().anyMatch(s -> s < 0)) {
            throw new UserError("--seed-list: seeds must be >= 0, got " + seeds);
        }
        if (Double.isNaN(targetLoss) && !selectors.contains(EfficiencyTable.BASELINE)) {
            throw new UserError("--target-loss is required when --selectors does not include random "
                    + "(the default target is random's mean final eval loss)");
        }
        if (!Double.isNaN(targetLoss) && !(targetLoss > 0 && Double.isFinite(targetLoss))) {
            throw new UserError("--target-loss must be a positive number of nats per token, got " + targetLoss);
        }
    }

    /** Where one run of the grid lives. */
    static Path runDir(Path out, String selector, long seed) {
        return out.resolve(selector).resolve("seed" + seed);
    }

    /**
     * Runs (or resumes, or skips) every selector × seed of the grid, then writes the table and the
     * report. Returns the exit code.
     */
    static int run(TrainConfig base, List<String> selectors, List<Long> seeds, Path out, double targetLoss,
            boolean overwrite, boolean progress, String label) {
        return run(base, selectors, seeds, out, targetLoss, overwrite, progress, label, EfficiencyTable.BASELINE, 1, null);
    }

    /**
     * As above, with the statistics' reference selector and {@code jobs} cells at a time (1: in this
     * process), or the unfinished cells handed to {@code runner} when it is not null.
     */
    static int run(TrainConfig base, List<String> selectors, List<Long> seeds, Path out, double targetLoss,
            boolean overwrite, boolean progress, String label, String reference, int jobs, CellRunner runner) {
        validate(selectors, seeds, targetLoss);
        UserError.require(jobs >= 1, "--jobs must be >= 1, got " + jobs);
        if (runner != null) {
            runner.check(out, overwrite, jobs);
        }
        List<TrainConfig> configs = new ArrayList<>();
        for (String s : selectors) {
            for (long k : seeds) {
                TrainConfig cfg = base.toBuilder().selector(s).seed(k).build();
                checkExisting(runDir(out, s, k), cfg, overwrite);
                MemoryBudget.require(cfg);                                         // each cell fits before any runs
                configs.add(cfg);
            }
        }
        writeGrid(out, base, selectors, seeds, targetLoss, reference);
        System.out.println("curlab " + label + ": " + selectors.size() + " selector(s) x " + seeds.size() + " seed(s) of "
                + (base.budgetFlops() > 0 ? String.format(java.util.Locale.ROOT, "a budget of %.3e FLOPs", base.budgetFlops())
                        : base.steps() + " steps") + " on " + base.data() + " into " + out);
        if (runner == null) {                                                      // a runner records the machines that ran cells
            MachineLog.record(out, MachineInfo.current(jobs == 1 ? MachineInfo.pytorchThreads() : cellThreads(jobs)));
        }
        boolean elsewhere = jobs > 1 || runner != null;
        StopSignal stop = StopSignal.install();
        GridProgress bar = new GridProgress(progress && !elsewhere && Terminal.interactive(), label, (long) configs.size() * base.steps());
        try {
            if (elsewhere) {
                int code = runner != null ? runner.run(out, unfinished(configs, out, overwrite, progress))
                        : runParallel(configs, out, overwrite, progress, label, jobs, stop);
                if (code != 0) {
                    return code;
                }
            }
            for (TrainConfig cfg : elsewhere ? List.<TrainConfig>of() : configs) {    // child processes or the runner ran them
                Path dir = runDir(out, cfg.selector(), cfg.seed());
                String name = cfg.selector() + " seed " + cfg.seed();
                if (!overwrite && isFinished(dir)) {
                    bar.skip(name, cfg.steps());
                    continue;
                }
                if (stop.requested()) {
                    return stopped(bar, name, dir, -1);
                }
                bar.begin(name);
                try (Trainer trainer = open(dir, cfg, overwrite, bar, stop)) {
                    Trainer.Result r = trainer.run();
                    if (r.stopped()) {
                        return stopped(bar, name, dir, r.steps());
                    }
                }
                bar.end(name, RunData.load(dir).steps());
            }
        } finally {
            bar.close();
            stop.uninstall();
        }
        List<RunData> runs = new ArrayList<>();
        for (TrainConfig cfg : configs) {
            runs.add(RunData.load(runDir(out, cfg.selector(), cfg.seed())));
        }
        EfficiencyTable table = EfficiencyTable.build(runs, targetLoss);
        writeSummary(out, table);
        PairedStats stats = PairedStats.build(runs, reference);
        StatsFiles.write(out, stats);
        TaskCurves curves = TaskCurves.build(runs);                            // --task-every: accuracy as training goes
        if (!curves.isEmpty()) {
            curves.writeInto(out);
        }
        Path report = CompareReport.write(out.resolve("report.html"), out.getFileName().toString(), runs, table,
                StatsFiles.html(out, stats) + curves.html());
        System.out.println();
        System.out.print(table.markdown());
        System.out.println();
        System.out.print(StatsFiles.markdown(out, stats));
        System.out.print(curves.markdown());
        System.out.println();
        System.out.println("summary: " + out.resolve("summary.md").toAbsolutePath() + " (and summary.csv, runs.csv)");
        System.out.println("report:  " + report.toAbsolutePath());
        return 0;
    }

    /** PyTorch threads of each child process with {@code jobs} cells at a time: this process's threads split between them. */
    static int cellThreads(int jobs) {
        return Math.max(1, MachineInfo.pytorchThreads() / jobs);
    }

    /** The grid's cells that are not finished (all of them with --overwrite); a line for each skipped one unless {@code progress}. */
    private static List<ParallelCells.Cell> unfinished(List<TrainConfig> configs, Path out, boolean overwrite, boolean progress) {
        List<ParallelCells.Cell> todo = new ArrayList<>();
        for (TrainConfig cfg : configs) {
            Path dir = runDir(out, cfg.selector(), cfg.seed());
            String name = cfg.selector() + " seed " + cfg.seed();
            if (!overwrite && isFinished(dir)) {
                if (!progress) {
                    System.out.println(name + ": finished before, skipped");
                }
            } else {
                todo.add(new ParallelCells.Cell(name, cfg, dir));
            }
        }
        return todo;
    }

    /** The unfinished cells, {@code jobs} at a time in child processes ({@link ParallelCells}); finished ones are skipped. */
    private static int runParallel(List<TrainConfig> configs, Path out, boolean overwrite, boolean progress, String label, int jobs,
            StopSignal stop) {
        List<ParallelCells.Cell> todo = unfinished(configs, out, overwrite, progress);
        long total = configs.stream().mapToLong(TrainConfig::steps).sum();
        long skipped = total - todo.stream().mapToLong(c -> c.config().steps()).sum();
        int threads = cellThreads(jobs);
        System.out.println("curlab " + label + ": " + todo.size() + " of " + configs.size() + " runs to do, " + jobs
                + " at a time in their own processes, " + threads + " PyTorch thread" + (threads == 1 ? "" : "s") + " each");
        return new ParallelCells(out, jobs, threads, overwrite, progress && Terminal.interactive()).run(todo, skipped, total, configs.size(), stop, label);
    }

    static Trainer open(Path dir, TrainConfig cfg, boolean overwrite, TrainerListener listener, StopSignal stop) {
        if (!overwrite && Files.isRegularFile(dir.resolve("config.json")) && !new CheckpointStore(dir).list().isEmpty()) {
            try {
                return Trainer.resume(dir, listener, stop);
            } catch (UserError e) {
                listener.warning(dir + ": cannot resume (" + e.getMessage() + "); starting the run again");
            }
        }
        return Trainer.start(cfg, dir, true, listener, stop);
    }

    private static int stopped(GridProgress bar, String name, Path dir, long step) {
        bar.close();
        System.err.println("curlab: compare stopped" + (step >= 0 ? " during " + name + " at step " + step
                + " (checkpoint written in " + dir + ")" : " before " + name)
                + "; rerun the same command to resume (finished runs are kept)");
        return Main.EXIT_STOPPED;
    }

    /**
     * A run is finished when its metrics hold the final eval line for the configured steps (with
     * --budget-flops: the steps its budget affords, as the run recorded them).
     */
    static boolean isFinished(Path dir) {
        return RunData.isRun(dir) && RunData.load(dir).finished();
    }

    /** Refuses to resume or skip a run that was made with other settings. */
    private static void checkExisting(Path dir, TrainConfig cfg, boolean overwrite) {
        Path file = dir.resolve("config.json");
        if (overwrite || !Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode saved = JSON.readTree(file.toFile()).get("config");
            JsonNode wanted = JSON.readTree(JSON.writeValueAsString(cfg));
            if (!wanted.equals(saved)) {
                throw new UserError("--out: " + dir + " holds a run with other settings; pass the same options as before, "
                        + "or --overwrite to start the grid afresh, or another --out");
            }
        } catch (IOException e) {
            throw new UserError("--out: " + file + " is unreadable (" + e.getMessage().split("\n")[0] + "); use --overwrite");
        }
    }

    private static void writeGrid(Path out, TrainConfig base, List<String> selectors, List<Long> seeds, double target,
            String reference) {
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("selectors", selectors);
        grid.put("seeds", seeds);
        grid.put("target_loss", Double.isNaN(target) ? null : target);
        grid.put("reference", reference);
        grid.put("config", base);
        try {
            Files.createDirectories(out);
            JSON.writeValue(out.resolve("compare.json").toFile(), grid);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot write compare.json (" + e.getMessage() + ")");
        }
    }

    static void writeSummary(Path out, EfficiencyTable table) {
        try {
            Files.writeString(out.resolve("summary.csv"), table.csv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("runs.csv"), table.runsCsv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("summary.md"), "# Sample efficiency\n\n" + table.markdown() + "\n## Runs\n\n"
                    + table.runsMarkdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary in " + out, e);
        }
    }

    /** One progress bar over the whole grid (steps of every run), or a line per run. */
    private static final class GridProgress implements TrainerListener {
        private final ProgressBar bar;
        private boolean closed;
        private long done;
        private String name = "";

        GridProgress(boolean show, String label, long total) {
            bar = !show ? null : new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        void skip(String run, long steps) {
            done += steps;
            if (bar != null) {
                bar.stepTo(done);
            } else {
                System.out.println(run + ": finished before, skipped");
            }
        }

        void begin(String run) {
            name = run;
            if (bar != null) {
                bar.setExtraMessage(" " + run);
            }
        }

        void end(String run, long steps) {
            done += steps;
        }

        @Override
        public void started(TrainConfig config, Map<String, Object> resolved, long fromStep) {
            if (bar != null) {
                bar.stepTo(done + fromStep);
            } else {
                System.out.println(name + ": " + (fromStep > 0 ? "resuming at step " + fromStep : "starting"));
            }
        }

        @Override
        public void step(long step, long total, double trainLoss, double reward) {
            if (bar != null) {
                bar.stepTo(done + step);
            }
        }

        @Override
        public void warning(String message) {
            System.err.println("curlab: warning: " + message);
        }

        @Override
        public void finished(long step, double evalLoss, boolean stopped) {
            if (bar == null) {
                System.out.printf("%s: %s %d steps; eval_loss %.4f%n", name, stopped ? "stopped after" : "finished", step, evalLoss);
            } else {
                bar.setExtraMessage(String.format(" %s eval_loss %.3f", name, evalLoss));
            }
        }

        void close() {
            if (bar != null && !closed) {
                closed = true;
                bar.close();
            }
        }
    }
}
