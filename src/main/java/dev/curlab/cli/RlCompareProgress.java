package dev.curlab.cli;

import dev.curlab.grid.Cell;
import dev.curlab.grid.GridRunner;
import dev.curlab.rl.RlListener;
import dev.curlab.train.TrainerListener;
import java.nio.file.Path;
import java.util.Map;

/** What {@code rl-compare} shows while its cells run in this process: a line per cell, then its progress or eval lines. */
final class RlCompareProgress implements GridRunner.Display {
    private final boolean progress;

    /** @param progress progress lines on stderr instead of eval lines on stdout */
    RlCompareProgress(boolean progress) {
        this.progress = progress;
    }

    @Override
    public TrainerListener train(Cell cell) {
        return TrainerListener.SILENT;
    }

    @Override
    public RlListener rl(Cell cell) {
        return new RlConsoleListener(System.out, progress) {
            @Override
            public void started(Map<String, Object> c, long from, long steps) {
            }
        };
    }

    @Override
    public void skipped(Cell cell, Path dir) {
        System.out.println("rl-compare: " + dir + " is done; reading it");
    }

    @Override
    public void begin(Cell cell, Path dir) {
        System.out.println("rl-compare: " + cell.arm() + " seed " + cell.seed() + " -> " + dir);
    }

    @Override
    public void end(Cell cell, Path dir) {
    }

    @Override
    public void close() {
    }
}
