package dev.curlab.cli;

import dev.curlab.report.RlReport;
import dev.curlab.report.RunData;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code curlab report} refuses before it reads a metric: one run reached twice (it would count
 * as two seeds), RL and pretraining runs in one report (their tables share no axis; report them
 * separately) and a run whose metrics.jsonl is empty (no step to report).
 */
final class ReportInputs {
    private ReportInputs() {
    }

    /** Checks the run directories that {@code dirs} name or hold. */
    static void check(List<Path> dirs) {
        Map<Path, Path> seen = new LinkedHashMap<>();   // run (real path) -> the argument it came from
        List<Path> rl = new ArrayList<>();
        List<Path> pretraining = new ArrayList<>();
        for (Path d : dirs) {
            for (Path run : runs(d)) {
                Path real = realPath(run);
                Path before = seen.putIfAbsent(real, d);
                if (before != null) {
                    throw new UserError("run " + run + " is given twice" + (before.equals(d) ? "" : " (in " + before + " and in " + d + ")")
                            + "; it would count as two seeds: give each run once");
                }
                (RlReport.isRlRun(run) ? rl : pretraining).add(run);
                if (sizeOf(run.resolve("metrics.jsonl")) == 0) {
                    throw new UserError(run + ": metrics.jsonl is empty (the run logged no step); nothing to report");
                }
            }
        }
        if (!rl.isEmpty() && !pretraining.isEmpty()) {
            throw new UserError("RL runs (" + rl.get(0) + (rl.size() > 1 ? ", ..." : "") + ") and pretraining runs (" + pretraining.get(0)
                    + (pretraining.size() > 1 ? ", ..." : "") + ") cannot share one report: report each kind with its own curlab report");
        }
    }

    /** The run in {@code dir}, or the runs below it (three levels, skipping dot directories), as report reads them. */
    private static List<Path> runs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such directory");
        }
        if (RunData.isRun(dir)) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(dir, p)).sorted().filter(RunData::isRun).toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static boolean hidden(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }
}
