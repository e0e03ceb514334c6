package dev.curlab.grid;

import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One cell of a grid: an arm (a selector of {@code compare}, a curator of {@code rl-compare}) at one
 * seed, the settings that define it, and how to run it. Where it lives, when it counts as finished
 * and when its folder is refused are the grid's rules ({@link CellFolders}), the same for every kind.
 */
public interface Cell {
    /** The selector or curator. */
    String arm();

    long seed();

    /** Stable id, unique in its grid: {@code <arm>-seed<k>} (the names of its log and config under OUT/cells/). */
    default String id() {
        return arm() + "-seed" + seed();
    }

    /** How progress lines name it: {@code <arm> seed <k>}. */
    default String name() {
        return arm() + " seed " + seed();
    }

    /** The kind of run, as the cell process's {@code --kind} takes it: train or rl. */
    String kind();

    /** The cell's config (TrainConfig or RlConfig), as written for a cell process to read. */
    Object config();

    /** The settings that define the cell, as a JSON map: what its run writes under "config" in config.json. */
    Map<String, Object> settings();

    /**
     * The settings the run in {@code dir} recorded, as {@link #settings()} would give them; a one-line
     * {@link dev.curlab.util.UserError} when {@code dir} holds no run of this kind.
     */
    Map<String, Object> recorded(Path dir);

    /** Settings a folder may hold smaller than asked: its run is continued to the larger value (RL's steps). */
    Set<String> continuable();

    /** Steps the cell asks for (the progress bar's share; under --budget-flops the budget decides the real count). */
    long steps();

    /** The last step of the run in {@code dir} once finished: its final eval line is written there. */
    long finalStep(Path dir);

    /** Refuses, with a one-line error, a cell that cannot fit in memory; called for every cell before any runs. */
    void requireFits();

    /** What a run reports as it goes: the listener of each cell. */
    interface Listeners {
        RunListener listener(Cell cell);
    }

    /** How a run ended: its steps, and whether a stop request ended it early (with a checkpoint). */
    record Outcome(long steps, boolean stopped) {
    }

    /**
     * Starts the run in {@code dir}, or resumes it from its newest checkpoint unless {@code overwrite};
     * returns when it finishes or a stop is requested.
     */
    Outcome run(Path dir, boolean overwrite, Listeners listeners, StopSignal stop);
}
