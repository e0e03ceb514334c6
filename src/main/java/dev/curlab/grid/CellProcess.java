package dev.curlab.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.rl.RlConfig;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.run.RunListener;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One cell of a grid in a process of its own ({@code curlab compare-cell}, started by {@code --jobs}
 * and by Spark's tasks). It starts, or resumes from its checkpoint, the run of a cell's config in its
 * folder exactly as the grid's in-process loop does, and reports progress on stdout as lines
 * {@code @cell started|step|finished ...} that the parent reads for its one progress bar.
 */
public final class CellProcess {
    /** The start of the progress lines; other lines are the run's own output, copied into the cell's log. */
    public static final String PREFIX = "@cell ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CellProcess() {
    }

    /** The cell whose config (of {@code kind}: train or rl) is in {@code file}. */
    public static Cell read(Path file, String kind) {
        try {
            return switch (kind) {
                case "train" -> new TrainCell(JSON.readValue(file.toFile(), TrainConfig.class));
                case "rl" -> new RlCell(JSON.readValue(file.toFile(), RlConfig.class));
                default -> throw new UserError("--kind: expected train or rl, got '" + kind + "'");
            };
        } catch (IOException e) {
            throw new UserError("--config " + file + ": unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /**
     * Runs {@code cell} in {@code dir}; with {@code stopWithParent}, stops with a checkpoint when standard
     * input ends. Returns 0 or {@link ExitCodes#STOPPED}.
     */
    public static int run(Cell cell, Path dir, boolean overwrite, boolean stopWithParent) {
        if (!overwrite && CellFolders.finished(dir, cell)) {              // a retried task whose cell had finished: nothing to do
            System.out.println("curlab: " + dir + " holds the finished run; nothing to do");
            return 0;
        }
        StopSignal stop = StopSignal.install();
        if (stopWithParent) {
            watchParent(stop);
        }
        try {
            Reporter reporter = new Reporter();
            Cell.Outcome r = cell.run(dir, overwrite, c -> reporter, stop);
            return r.stopped() ? ExitCodes.STOPPED : 0;
        } finally {
            stop.uninstall();
        }
    }

    /**
     * Asks the run to stop (it writes a checkpoint) when standard input reaches its end: the parent
     * holds the pipe's other end, so that happens when the parent dies, even by {@code kill -9}.
     */
    private static void watchParent(StopSignal stop) {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent writes nothing: only the end matters
                }
            } catch (IOException ignored) {
                // a broken pipe is an end too
            }
            System.out.println("curlab: warning: the parent process ended; stopping with a checkpoint");
            stop.request();
        }, "curlab-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Progress as stdout lines for the parent; warnings as they are. Both kinds of run report the same lines. */
    private static final class Reporter implements RunListener {
        @Override
        public void started(Started e) {
            System.out.println(PREFIX + "started " + e.fromStep());
        }

        @Override
        public void step(Stepped e) {
            System.out.println(PREFIX + "step " + e.step());
        }

        @Override
        public void warning(String message) {
            System.out.println("curlab: warning: " + message);
        }

        @Override
        public void finished(Finished e) {
            System.out.println(PREFIX + "finished " + e.step() + " " + String.format(Locale.ROOT, "%.4f", e.value()) + " " + e.stopped());
        }
    }
}
