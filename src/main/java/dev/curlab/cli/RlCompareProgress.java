package dev.curlab.cli;

import dev.curlab.grid.Cell;
import dev.curlab.grid.GridRunner;
import dev.curlab.run.RunListener;
import java.nio.file.Path;

/** What {@code rl-compare} shows while its cells run in this process: a line per cell, then its progress or eval lines. */
final class RlCompareProgress implements GridRunner.Display {
    private final boolean progress;

    /** @param progress progress lines on stderr instead of eval lines on stdout */
    RlCompareProgress(boolean progress) {
        this.progress = progress;
    }

    @Override
    public RunListener listener(Cell cell) {
        return new ConsoleProgress(ConsoleProgress.Loop.RL, System.out, progress, false, "rl") {
            @Override
            public void started(Started e) {
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
