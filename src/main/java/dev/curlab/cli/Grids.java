package dev.curlab.cli;

import dev.curlab.grid.CompareGrid;
import dev.curlab.grid.GridRunner;
import dev.curlab.grid.RemoteCells;
import dev.curlab.grid.RlCompareGrid;
import dev.curlab.rl.RlConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The console side of the grid commands ({@code compare}, {@code rl-compare}, {@code demo}): a
 * {@link GridRunner} that starts child cells as {@code curlab compare-cell}, the progress display,
 * and the printed tables.
 */
final class Grids {
    private Grids() {
    }

    /** The runner of a grid in {@code out}: {@code jobs} cells at a time (1: this process), or on {@code remote} when not null. */
    static GridRunner runner(Path out, String label, boolean overwrite, int jobs, RemoteCells remote) {
        return new GridRunner(out, label, overwrite, jobs, remote, Main.class.getName());
    }

    /** Runs a pretraining grid and prints its tables; returns the exit code. */
    static int compare(GridRunner runner, CompareGrid.Spec spec, String label, boolean progress) {
        long total = (long) spec.selectors().size() * spec.seeds().size() * spec.base().steps();
        CompareProgress display = new CompareProgress(progress && !runner.elsewhere() && Terminal.interactive(), label, total);
        CompareGrid.Result r = CompareGrid.run(runner, spec, label, display, progress, Terminal.interactive());
        if (r.code() == 0) {
            System.out.print(r.summary());
        }
        return r.code();
    }

    /** A pretraining grid in {@code out}, in this process, with the statistics against random. */
    static int compare(Path out, CompareGrid.Spec spec, boolean overwrite, boolean progress, String label) {
        return compare(runner(out, label, overwrite, 1, null), spec, label, progress);
    }

    /** Runs an RL grid and prints its table; {@code progress}: progress lines instead of eval lines. Returns the exit code. */
    static int rlCompare(GridRunner runner, List<RlConfig> cells, double target, boolean progress) throws IOException {
        CompareGrid.Result r = RlCompareGrid.run(runner.hint(GridRunner.DELETE_HINT), cells, target, new RlCompareProgress(progress),
                progress, Terminal.interactive());
        if (r.code() == 0) {
            System.out.print(r.summary());
        }
        return r.code();
    }
}
