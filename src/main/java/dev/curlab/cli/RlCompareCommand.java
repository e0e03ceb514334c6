package dev.curlab.cli;

import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlLedger;
import dev.curlab.rl.RlRuns;
import dev.curlab.rl.RlTable;
import dev.curlab.rl.RlTrainer;
import dev.curlab.train.StopSignal;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code curlab rl-compare}: the same RL run under several curators and seeds, one after another, then
 * the table of {@link RlTable} (printed and written to OUT/table.md). A cell that already finished is
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

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory of the runs (DIR/<curator>-seed<s>) and table.md.")
    Path out;

    @Option(names = "--no-progress", description = "No progress lines; print each cell's eval lines instead.")
    boolean noProgress;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (preset != null) {
            applyPreset(RlPreset.named(preset), spec.commandLine().getParseResult());
        }
        UserError.require(seeds >= 1, "--seeds must be >= 1, got " + seeds);
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
        for (RlConfig c : cells) {
            dev.curlab.rl.RlMemory.require(c, dev.curlab.rl.RlMemory.shapeOf(c));  // before the warm start or any cell runs
        }
        if (preset != null && options.initFrom == null) {                           // the preset's warm start, resumed or skipped when done
            UserError.require(warmSteps >= 1, "--warm-steps must be >= 1, got " + warmSteps);
            Path warm = out.resolve("warm");
            int rc = DemoCommand.trainWarmStart(warm, warmSteps, false, false, "rl-compare warm start");
            if (rc != 0) {
                return rc;
            }
            String from = DemoCommand.warmRun(warm).toString();
            cells.replaceAll(c -> c.withInitFrom(from));
        }
        return run(cells, out, target, !noProgress);
    }

    /** Sets the preset's options that the command line did not give, and prints what it stands for. */
    private void applyPreset(RlPreset p, picocli.CommandLine.ParseResult parsed) {
        List<String> overridden = Presets.apply(spec, new RlCompareCommand(), p.arguments(), out.toString(), parsed::hasMatchedOption);
        System.out.println("preset " + p.name() + ": " + String.join(" ", p.arguments())
                + (overridden.isEmpty() ? "" : " (overridden on the command line: " + String.join(", ", overridden) + ")"));
    }

    /**
     * Runs each cell into OUT/&lt;curator&gt;-seed&lt;s&gt; (a finished one is read, an interrupted one resumed), then
     * prints and writes the table (at {@code target}, 0 = automatic) and the report.
     */
    static int run(List<RlConfig> cells, Path out, double target) throws IOException {
        return run(cells, out, target, false);
    }

    /** As {@link #run(List, Path, double)}; {@code progress}: progress lines on stderr instead of eval lines on stdout. */
    static int run(List<RlConfig> cells, Path out, double target, boolean progress) throws IOException {
        Map<String, List<Path>> dirs = new LinkedHashMap<>();
        for (RlConfig cfg : cells) {
            dirs.computeIfAbsent(cfg.curator(), k -> new ArrayList<>()).add(out.resolve(cfg.curator() + "-seed" + cfg.seed()));
        }
        for (RlConfig cfg : cells) {                                            // no cell runs until every kept one is checked
            RlCells.checkKept(out.resolve(cfg.curator() + "-seed" + cfg.seed()), cfg);
            dev.curlab.rl.RlMemory.require(cfg, dev.curlab.rl.RlMemory.shapeOf(cfg)); // and every cell fits
        }
        for (RlConfig cfg : cells) {
            Path dir = out.resolve(cfg.curator() + "-seed" + cfg.seed());
            if (finished(dir, cfg.steps())) {
                System.out.println("rl-compare: " + dir + " is done; reading it");
                continue;
            }
            StopSignal stop = StopSignal.install();
            try (RlTrainer t = RlCells.hasCheckpoint(dir) ? RlRuns.resume(dir, cfg.steps(), quietListener(progress), stop)
                    : RlRuns.start(cfg, dir, Files.exists(dir.resolve("config.json")), quietListener(progress), stop)) {
                System.out.println("rl-compare: " + cfg.curator() + " seed " + cfg.seed() + " -> " + dir);
                if (t.run().stopped()) {
                    System.err.println("curlab: stopped; run the same rl-compare again to resume");
                    return Main.EXIT_STOPPED;
                }
            } finally {
                stop.uninstall();
            }
        }
        double tgt = target > 0 ? target : RlTable.autoTarget(RlTable.collect(dirs, 2));
        Map<String, List<RlLedger.Totals>> ledgers = RlLedger.collect(dirs);
        String reference = dirs.containsKey("uniform") ? "uniform" : dirs.keySet().iterator().next();
        String table = RlTable.markdown(RlTable.collect(dirs, tgt), tgt) + "\nCompute ledger (means over seeds):\n\n"
                + RlLedger.ledgerMarkdown(ledgers) + (dirs.size() > 1 ? "\n" + RlLedger.pairedMarkdown(ledgers, reference) : "");
        Files.writeString(out.resolve("table.md"), table);
        System.out.print(table);
        System.out.println("table: " + out.resolve("table.md").toAbsolutePath());
        List<Path> all = new ArrayList<>();
        dirs.values().forEach(all::addAll);
        System.out.println("report: " + dev.curlab.report.RlReport.write(out.resolve("report.html"),
                String.valueOf(out.toAbsolutePath().normalize().getFileName()), all).toAbsolutePath());
        return 0;
    }

    private static dev.curlab.rl.RlListener quietListener(boolean progress) {
        return new RlConsoleListener(System.out, progress) {
            @Override
            public void started(Map<String, Object> c, long from, long steps) {
            }
        };
    }

    /** A cell whose final checkpoint exists has written all its metrics. */
    private static boolean finished(Path dir, long steps) {
        return Files.isRegularFile(dir.resolve("metrics.jsonl"))
                && Files.isDirectory(dir.resolve(String.format(Locale.ROOT, "checkpoints/step-%08d", steps)));
    }
}
