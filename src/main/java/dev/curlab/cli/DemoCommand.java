package dev.curlab.cli;

import dev.curlab.grid.CellFolders;
import dev.curlab.grid.CompareGrid;
import static dev.curlab.cli.DemoSettings.*;
import dev.curlab.rl.RlLedger;
import dev.curlab.rl.RlVerdict;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab demo}: a short {@code compare} of random, loss, rho-loss, soft-q and oracle-mixture (those that
 * are registered) on builtin:mixture with one seed, then the table and the report; then the RL part: a
 * supervised warm start on worked arithmetic and an {@code rl-compare} of uniform and DAPO's dynamic sampling on
 * the fixed bank of RESULTS X ({@link RlPreset#FIXED_BANK}, the one curator that separated from uniform there),
 * {@link DemoSettings#RL_SEEDS} seeds, ending with one plain-words verdict ({@link dev.curlab.rl.RlVerdict}). Re-running it
 * replaces the previous demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare random, loss, rho-loss, soft-q and oracle-mixture on builtin:mixture, then uniform and dapo RL curators on a fixed arithmetic bank over 3 seeds, for a few minutes; print the tables and write the reports.")
final class DemoCommand implements Callable<Integer> {
    static final List<String> WANTED = List.of("random", "loss", "rho-loss", "soft-q", "oracle-mixture");

    @Option(names = "--out", paramLabel = "DIR", description = "Where the demo goes (default: ${DEFAULT-VALUE}); a previous demo there is replaced.",
            defaultValue = "runs/demo")
    Path out;

    @Option(names = "--steps", paramLabel = "K", description = "Training steps per selector (default: ${DEFAULT-VALUE}).", defaultValue = "800")
    long steps;

    @Option(names = "--rl-steps", paramLabel = "K", description = "RL steps per curator in the RL part, 0 = no RL part (default: ${DEFAULT-VALUE}).", defaultValue = "150")
    long rlSteps;

    @Option(names = "--rl-seeds", paramLabel = "S", description = "Seeds 0..S-1 per curator in the RL part (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + RL_SEEDS)
    int rlSeeds;

    @Option(names = "--rl-warm-steps", paramLabel = "K", description = "Supervised warm-start steps before the RL part (default: ${DEFAULT-VALUE}).", defaultValue = "2000")
    long warmSteps;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    /**
     * The RL part into {@code out}/rl-warm (the warm start) and {@code out}/rl (the curators), then the verdict
     * line, printed and appended to {@code out}/rl/table.md; 0 when it finished.
     */
    static int rlPart(Path out, long warmSteps, long rlSteps, int seeds, boolean progress) throws IOException {
        System.out.println("curlab demo: RL part: a warm start on worked arithmetic (" + warmSteps + " steps), then " + RL_REFERENCE
                + " against " + RL_CHALLENGER + " (DAPO's dynamic sampling) for " + rlSteps + " RL steps, " + seeds + " seed"
                + (seeds == 1 ? "" : "s") + " each, on the fixed bank " + RL_TASKS);
        Path warm = out.resolve("rl-warm");
        int rc = trainWarmStart(warm, warmSteps, true, progress, "demo warm start");
        if (rc != 0) {
            return rc;
        }
        Path rl = out.resolve("rl");
        rc = Grids.rlCompare(Grids.runner(rl, "rl-compare", false, 1, null), rlCells(warmRun(warm), rlSteps, seeds), RL_TARGET, false);
        if (rc == 0) {
            String line = verdict(rl, seeds);
            Files.writeString(rl.resolve("table.md"), "\n" + line + "\n", java.nio.file.StandardOpenOption.APPEND);
            System.out.println(line);
        }
        return rc;
    }

    /** The verdict of the runs in {@code rl}: the challenger against the reference, paired by seed, at equal rollouts and steps. */
    static String verdict(Path rl, int seeds) {
        Map<String, List<Path>> dirs = new LinkedHashMap<>();
        for (String c : List.of(RL_REFERENCE, RL_CHALLENGER)) {
            List<Path> ps = new java.util.ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                ps.add(CellFolders.dir(rl, c, s));
            }
            dirs.put(c, ps);
        }
        Map<String, List<RlLedger.Totals>> ledgers = RlLedger.collect(dirs);
        RlLedger.Paired[] p = RlLedger.paired(ledgers.get(RL_CHALLENGER), ledgers.get(RL_REFERENCE));
        return RlVerdict.line(RL_CHALLENGER, RL_REFERENCE, seeds, p[1], p[0], "docs/RESULTS.md section X has 10 seeds");
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
        UserError.require(rlSeeds >= 1, "--rl-seeds must be >= 1, got " + rlSeeds);
        UserError.require(warmSteps >= 1, "--rl-warm-steps must be >= 1, got " + warmSteps);
        List<String> selectors = WANTED.stream().filter(Selectors::exists).toList();
        clearPrevious(out);
        int rc = Grids.compare(out, new CompareGrid.Spec(config(steps), selectors, List.of(0L), Double.NaN), true, !noProgress, "demo");
        return rc != 0 || rlSteps == 0 ? rc : rlPart(out, warmSteps, rlSteps, rlSeeds, !noProgress);
    }

}
