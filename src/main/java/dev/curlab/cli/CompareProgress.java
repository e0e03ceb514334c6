package dev.curlab.cli;

import dev.curlab.grid.Cell;
import dev.curlab.grid.GridRunner;
import dev.curlab.report.RunData;
import dev.curlab.run.RunListener;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** What {@code compare} shows while its cells run in this process: one progress bar over the whole grid (steps of every run), or a line per run. */
final class CompareProgress implements GridRunner.Display, RunListener {
    private final ProgressBar bar;
    private boolean closed;
    private long done;
    private String name = "";

    CompareProgress(boolean show, String label, long total) {
        bar = !show ? null : new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public RunListener listener(Cell cell) {
        return this;
    }

    @Override
    public void skipped(Cell cell, Path dir) {
        done += cell.steps();
        if (bar != null) {
            bar.stepTo(done);
        } else {
            System.out.println(cell.name() + ": finished before, skipped");
        }
    }

    @Override
    public void begin(Cell cell, Path dir) {
        name = cell.name();
        if (bar != null) {
            bar.setExtraMessage(" " + name);
        }
    }

    @Override
    public void end(Cell cell, Path dir) {
        done += RunData.load(dir).steps();
    }

    @Override
    public void started(Started e) {
        if (bar != null) {
            bar.stepTo(done + e.fromStep());
        } else {
            System.out.println(name + ": " + (e.fromStep() > 0 ? "resuming at step " + e.fromStep() : "starting"));
        }
    }

    @Override
    public void step(Stepped e) {
        if (bar != null) {
            bar.stepTo(done + e.step());
        }
    }

    @Override
    public void warning(String message) {
        System.err.println("curlab: warning: " + message);
    }

    @Override
    public void finished(Finished e) {
        if (bar == null) {
            System.out.printf("%s: %s %d steps; eval_loss %.4f%n", name, e.stopped() ? "stopped after" : "finished", e.step(), e.value());
        } else {
            bar.setExtraMessage(String.format(" %s eval_loss %.3f", name, e.value()));
        }
    }

    @Override
    public void close() {
        if (bar != null && !closed) {
            closed = true;
            bar.close();
        }
    }
}
