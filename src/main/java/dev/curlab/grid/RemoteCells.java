package dev.curlab.grid;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a grid hands its unfinished cells when they run on other machines (the {@code curlab-spark}
 * entry point's Spark job, src/spark/java, built with {@code -Pspark}). The grid's checks, the
 * skipping of finished cells and the tables stay with {@link GridRunner} and the grid's command; a
 * remote runner only runs cells, each into its folder ({@link CellFolders#dir(Path, Cell)}), as
 * {@link CellProcess} does in a process of its own.
 */
public interface RemoteCells {
    /**
     * Refuses, with a one-line {@link dev.curlab.util.UserError}, an {@code --out} or option this runner
     * cannot work with; called before anything is written.
     */
    void check(Path out, boolean overwrite, int jobs);

    /**
     * Runs {@code todo} (none of them finished) into their folders and records the machines that ran
     * them ({@link dev.curlab.report.MachineLog}). {@code label} names the grid in messages (compare,
     * rl-compare). Returns 0 when every cell finished, else the exit code of the failure it printed.
     */
    int run(Path out, List<Cell> todo, String label);
}
