package dev.curlab.grid;

import dev.curlab.report.MachineLog;
import dev.curlab.run.StopSignal;
import dev.curlab.util.MachineInfo;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one runner of every grid ({@code compare}, {@code rl-compare}, {@code demo}, the warm starts,
 * {@code curlab-spark}): checks every cell's folder before any runs ({@link CellFolders}: layout,
 * other settings), then runs the unfinished cells into {@code OUT/<arm>/seed<k>/} in this process,
 * {@code jobs} at a time in processes of their own ({@link ChildCells}), or on a {@link RemoteCells}
 * runner; a finished cell is read, an interrupted one resumed from its checkpoint.
 *
 * <p>What is printed while cells run in this process is the caller's {@link Display}; the tables
 * made from the finished cells are the grid's command's.
 */
public final class GridRunner {
    /** What the command shows while cells run in this process (the listeners of the runs included). */
    public interface Display extends Cell.Listeners {
        /** {@code cell} had finished before; it is read, not rerun. */
        void skipped(Cell cell, Path dir);

        /** {@code cell} starts or resumes in {@code dir}. */
        void begin(Cell cell, Path dir);

        /** {@code cell} finished in {@code dir}. */
        void end(Cell cell, Path dir);

        /** The grid is over (or stopped): close any bar. */
        void close();
    }

    private final Path out;
    private final String label;
    private final boolean overwrite;
    private final int jobs;
    private final RemoteCells remote;
    private final String mainClass;
    private final String hint;

    /**
     * @param label     the command, in messages (compare, rl-compare, demo, ...)
     * @param overwrite start every cell afresh instead of reading or resuming it
     * @param jobs      cells at a time, each in its own process when above 1
     * @param remote    where the unfinished cells run instead (curlab-spark); null: here
     * @param mainClass the class whose main runs {@code compare-cell}, for child processes
     */
    public GridRunner(Path out, String label, boolean overwrite, int jobs, RemoteCells remote, String mainClass) {
        this(out, label, overwrite, jobs, remote, mainClass, OVERWRITE_HINT);
    }

    private GridRunner(Path out, String label, boolean overwrite, int jobs, RemoteCells remote, String mainClass, String hint) {
        this.hint = hint;
        this.out = out;
        this.label = label;
        this.overwrite = overwrite;
        this.jobs = jobs;
        this.remote = remote;
        this.mainClass = mainClass;
    }

    /** What the refusal of a folder made with other settings suggests, for a grid command with --overwrite. */
    public static final String OVERWRITE_HINT = "pass the same options as before, or --overwrite to start the grid afresh, or another --out";
    /** The same, for a grid command without --overwrite. */
    public static final String DELETE_HINT = "give another --out, or delete that directory to rerun it";

    /** This runner, with {@code hint} in the refusal of a folder made with other settings. */
    public GridRunner hint(String hint) {
        return new GridRunner(out, label, overwrite, jobs, remote, mainClass, hint);
    }

    /** A runner of {@code label}'s grid in {@code out}, one cell at a time in this process. */
    public static GridRunner inProcess(Path out, String label, boolean overwrite) {
        return new GridRunner(out, label, overwrite, 1, null, null);
    }

    public Path out() {
        return out;
    }

    /** Whether cells run elsewhere than this process (child processes or a remote runner). */
    public boolean elsewhere() {
        return jobs > 1 || remote != null;
    }

    /**
     * Refuses, with a one-line {@link UserError} and before anything is written: a bad {@code --jobs},
     * an {@code --out} the remote runner cannot use, cells in the earlier layout, a cell folder made
     * with other settings, a cell that cannot fit in memory.
     */
    public void check(List<? extends Cell> cells) {
        UserError.require(jobs >= 1, "--jobs must be >= 1, got " + jobs);
        if (remote != null) {
            remote.check(out, overwrite, jobs);
        }
        CellFolders.requireCurrentLayout(out, cells, label);
        for (Cell c : cells) {
            if (!overwrite) {
                CellFolders.requireSameSettings(CellFolders.dir(out, c), c, label, hint);
            }
            c.requireFits();                                                  // each cell fits before any runs
        }
    }

    /** PyTorch threads of each child process with {@code jobs} cells at a time: this process's threads split between them. */
    public static int cellThreads(int jobs) {
        return Math.max(1, MachineInfo.pytorchThreads() / jobs);
    }

    /**
     * Runs the grid's unfinished cells ({@link #check} first); returns 0 when every cell is finished,
     * {@link ExitCodes#STOPPED} when a stop request ended it (rerunning resumes), or a failed cell's code.
     * {@code progress}: the user's choice of progress over plain lines; {@code drawBar}: the child
     * processes' one bar may be drawn (a terminal).
     */
    public int run(List<? extends Cell> cells, Display display, boolean progress, boolean drawBar) {
        if (remote == null) {                                                 // a remote runner records the machines that ran cells
            MachineLog.record(out, MachineInfo.current(jobs == 1 ? MachineInfo.pytorchThreads() : cellThreads(jobs)));
        }
        StopSignal stop = StopSignal.install();
        try {
            if (elsewhere()) {
                List<Cell> todo = unfinished(cells, display, progress);
                if (remote != null) {
                    return remote.run(out, todo, label);
                }
                long total = cells.stream().mapToLong(Cell::steps).sum();
                long skipped = total - todo.stream().mapToLong(Cell::steps).sum();
                int threads = cellThreads(jobs);
                System.out.println("curlab " + label + ": " + todo.size() + " of " + cells.size() + " runs to do, " + jobs
                        + " at a time in their own processes, " + threads + " PyTorch thread" + (threads == 1 ? "" : "s") + " each");
                return new ChildCells(out, mainClass, jobs, threads, overwrite, progress && drawBar).run(todo, skipped, total, cells.size(), stop, label);
            }
            for (Cell c : cells) {
                Path dir = CellFolders.dir(out, c);
                if (!overwrite && CellFolders.finished(dir, c)) {
                    display.skipped(c, dir);
                    continue;
                }
                if (stop.requested()) {
                    display.close();
                    return stopped(c, dir, -1);
                }
                display.begin(c, dir);
                Cell.Outcome r = c.run(dir, overwrite, display, stop);
                if (r.stopped()) {
                    display.close();
                    return stopped(c, dir, r.steps());
                }
                display.end(c, dir);
            }
            return 0;
        } finally {
            display.close();
            stop.uninstall();
        }
    }

    /** The grid's cells that are not finished (all of them with overwrite); the skipped ones shown unless {@code progress}. */
    private List<Cell> unfinished(List<? extends Cell> cells, Display display, boolean progress) {
        List<Cell> todo = new ArrayList<>();
        for (Cell c : cells) {
            Path dir = CellFolders.dir(out, c);
            if (!overwrite && CellFolders.finished(dir, c)) {
                if (!progress) {
                    display.skipped(c, dir);
                }
            } else {
                todo.add(c);
            }
        }
        return todo;
    }

    private int stopped(Cell c, Path dir, long step) {
        System.err.println("curlab: " + label + " stopped" + (step >= 0 ? " during " + c.name() + " at step " + step
                + " (checkpoint written in " + dir + ")" : " before " + c.name())
                + "; rerun the same command to resume (finished runs are kept)");
        return ExitCodes.STOPPED;
    }
}
