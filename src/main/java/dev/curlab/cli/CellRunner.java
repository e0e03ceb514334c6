package dev.curlab.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code compare} hands the grid's unfinished cells when they run on other machines: the
 * {@code curlab-spark} entry point's Spark job (src/spark/java, built with {@code -Pspark}). The
 * grid's planning, the skipping of finished cells and the summary and report stay in
 * {@link CompareCommand}; a runner only runs cells, each into its run directory.
 */
interface CellRunner {
    /**
     * Refuses, with a one-line {@link dev.curlab.util.UserError}, an {@code --out} or option this runner
     * cannot work with; called before anything is written.
     */
    void check(Path out, boolean overwrite, int jobs);

    /**
     * Runs {@code todo} (none of them finished) into their run directories and records the machines
     * that ran them ({@link dev.curlab.report.MachineLog}). Returns 0 when every cell finished, else
     * the exit code of the failure it printed.
     */
    int run(Path out, List<ParallelCells.Cell> todo);
}
