package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab compare-cell} (hidden): one cell of a {@code compare --jobs J} grid in its own JVM.
 * It starts, or resumes from its checkpoint, the run of {@code --config} (a TrainConfig as JSON) in
 * {@code --out}, exactly as compare's sequential loop does in-process, and reports its progress on
 * stdout as lines {@code @cell started|step|finished ...} that the parent reads for its one progress bar.
 */
@Command(name = "compare-cell", hidden = true, description = "One cell of a parallel compare grid (used by compare --jobs).")
final class CellCommand implements Callable<Integer> {
    static final String PREFIX = "@cell ";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The run's TrainConfig as JSON.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run directory.")
    Path out;

    @Option(names = "--overwrite", description = "Start afresh even if DIR holds a checkpoint.")
    boolean overwrite;

    @Option(names = "--stop-with-parent",
            description = "Stop with a checkpoint when standard input closes (the process that started this one ended).")
    boolean stopWithParent;

    @Override
    public Integer call() {
        TrainConfig cfg;
        try {
            cfg = new ObjectMapper().readValue(config.toFile(), TrainConfig.class);
        } catch (IOException e) {
            throw new UserError("--config " + config + ": unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
        if (!overwrite && CompareCommand.isFinished(out)) {                 // a retried task whose cell had finished: nothing to do
            System.out.println("curlab: " + out + " holds the finished run; nothing to do");
            return 0;
        }
        StopSignal stop = StopSignal.install();
        if (stopWithParent) {
            watchParent(stop);
        }
        try (Trainer trainer = CompareCommand.open(out, cfg, overwrite, new Reporter(), stop)) {
            Trainer.Result r = trainer.run();
            return r.stopped() ? Main.EXIT_STOPPED : 0;
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

    /** Progress as stdout lines for the parent; warnings as they are. */
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
