package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.report.CompareReport;
import dev.curlab.report.EfficiencyTable;
import dev.curlab.report.PairedStats;
import dev.curlab.report.RlReport;
import dev.curlab.report.RunData;
import dev.curlab.report.StatsFiles;
import dev.curlab.report.TaskCurves;
import dev.curlab.run.RunDirectory;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code curlab report}: report.html (and the table) rebuilt from run directories or a compare directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild report.html and the sample-efficiency table from one or many run directories or a compare directory.")
final class ReportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run directories, or a compare directory (its runs are found inside).")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", description = "Where report.html goes (default: DIR/report.html for one DIR; required for several).")
    Path out;

    @Option(names = "--target-loss", paramLabel = "LOSS", description = "Target eval loss for examples-to-target (default: random's mean final eval loss, when random runs are given).")
    Double targetLoss;

    @Option(names = "--reference", paramLabel = "NAME", description = "Selector the paired statistics compare against (default: the compare "
            + "directory's, else random).")
    String reference;

    @Override
    public Integer call() {
        if (targetLoss != null && !(targetLoss > 0 && Double.isFinite(targetLoss))) {
            throw new UserError("--target-loss must be a positive number of nats per token, got " + targetLoss);
        }
        if (out == null && dirs.size() > 1) {
            throw new UserError("--out FILE is required when several directories are given");
        }
        ReportInputs.check(dirs);                                               // twice the same run, RL with pretraining, empty metrics
        List<Path> rl = new ArrayList<>();
        for (Path d : dirs) {
            rl.addAll(rlRuns(d));
        }
        if (!rl.isEmpty()) {
            return rlReport(rl);
        }
        List<RunData> runs = new ArrayList<>();
        for (Path d : dirs) {
            runs.addAll(find(d));
        }
        List<String> order = dirs.size() == 1 ? gridOrder(dirs.get(0)) : List.of();
        runs.sort(Comparator.comparingInt((RunData r) -> rank(order, r.selector())).thenComparing(RunData::selector)
                .thenComparingLong(RunData::seed));
        EfficiencyTable table = EfficiencyTable.build(runs, targetLoss == null ? Double.NaN : targetLoss);
        Path file = out != null ? out : dirs.get(0).resolve("report.html");
        Path grid = dirs.size() == 1 && Files.isRegularFile(dirs.get(0).resolve("compare.json")) ? dirs.get(0) : null;
        PairedStats stats = PairedStats.build(runs, reference != null ? reference : gridReference(dirs.get(0)));
        Path name = dirs.get(0).toAbsolutePath().normalize().getFileName();
        TaskCurves curves = TaskCurves.build(runs);
        try {
            if (grid != null) {
                dev.curlab.grid.CompareGrid.writeSummary(grid, table);
                StatsFiles.write(grid, stats);
                if (!curves.isEmpty()) {
                    curves.writeInto(grid);
                }
            }
            CompareReport.write(file, dirs.size() == 1 && name != null ? name.toString() : runs.size() + " runs", runs, table,
                    (grid != null ? StatsFiles.html(grid, stats) : stats.html()) + curves.html());
        } catch (UncheckedIOException e) { // e.g. a read-only file system
            throw new UserError(RunDirectory.ioFailure(e) + (out == null ? "; write the report elsewhere with --out FILE" : ""), e);
        }
        System.out.print(table.markdown());
        System.out.println();
        System.out.print(stats.markdown());
        System.out.print(curves.markdown());
        System.out.println("report: " + file.toAbsolutePath());
        return 0;
    }

    /** The RL runs of the given directories: report.html with the RL panels and a line per run. */
    private int rlReport(List<Path> rl) {
        Path file = out != null ? out : dirs.get(0).resolve("report.html");
        Path name = dirs.get(0).toAbsolutePath().normalize().getFileName();
        try {
            RlReport.write(file, dirs.size() == 1 && name != null ? name.toString() : rl.size() + " RL runs", rl);
        } catch (UncheckedIOException e) {
            throw new UserError(RunDirectory.ioFailure(e) + (out == null ? "; write the report elsewhere with --out FILE" : ""), e);
        }
        System.out.println("report: " + file.toAbsolutePath() + " (" + rl.size() + " RL runs)");
        return 0;
    }

    /** The RL run in {@code dir}, or those below it (up to three levels down, as for pretraining runs). */
    static List<Path> rlRuns(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such directory");
        }
        if (RlReport.isRlRun(dir)) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(dir, p)).sorted().filter(RlReport::isRlRun).toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    /** The run in {@code dir}, or the runs below it (up to three levels down). */
    static List<RunData> find(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such directory");
        }
        if (RunData.isRun(dir)) {
            return List.of(RunData.load(dir));
        }
        List<RunData> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 3)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !hidden(dir, p)).sorted().toList()) {
                if (RunData.isRun(p)) {
                    out.add(RunData.load(p));
                }
            }
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new UserError(dir + ": no curlab runs found (expected a run directory with config.json and metrics.jsonl, "
                    + "or a compare directory)");
        }
        return out;
    }

    /** Below {@code dir} in a directory whose name starts with a dot (e.g. a staging directory left by a killed --overwrite). */
    private static boolean hidden(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The selector order of a compare directory's compare.json, if it has one. */
    @SuppressWarnings("unchecked")
    private static List<String> gridOrder(Path dir) {
        Path f = dir.resolve("compare.json");
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            Object s = JSON.readValue(f.toFile(), Map.class).get("selectors");
            return s instanceof List<?> l ? (List<String>) l : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The reference of a compare directory's compare.json; random when it names none. */
    private static String gridReference(Path dir) {
        Path f = dir.resolve("compare.json");
        try {
            if (Files.isRegularFile(f) && JSON.readValue(f.toFile(), Map.class).get("reference") instanceof String s) {
                return s;
            }
        } catch (IOException e) {
            // an unreadable compare.json leaves the default
        }
        return EfficiencyTable.BASELINE;
    }

    private static int rank(List<String> order, String selector) {
        int i = order.indexOf(selector);
        return i >= 0 ? i : selector.equals(EfficiencyTable.BASELINE) ? -1 : order.size();
    }
}
