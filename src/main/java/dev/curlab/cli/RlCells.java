package dev.curlab.cli;

import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlConfigDiff;
import dev.curlab.rl.RlRuns;
import dev.curlab.run.CheckpointStore;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The cell directories of {@code rl-compare} that a previous invocation left: a finished or partial
 * cell is reused only when it was made with the settings of this one (it may only have fewer steps,
 * which are then continued); otherwise the grid is refused before any cell runs.
 */
final class RlCells {
    private RlCells() {
    }

    /** Refuses {@code dir} when it holds a run with a checkpoint made with other settings than {@code cfg}. */
    static void checkKept(Path dir, RlConfig cfg) {
        if (!Files.isRegularFile(dir.resolve("config.json")) || !hasCheckpoint(dir)) {
            return;                                                          // nothing to reuse: the cell (re)starts
        }
        RlConfig saved;
        try {
            saved = RlRuns.savedConfig(dir);
        } catch (UserError e) {
            throw new UserError("rl-compare: " + dir + " holds no RL run of this grid (" + e.getMessage() + "); give another --out");
        }
        String diff = RlConfigDiff.describe(saved, cfg, Set.of("steps"));
        if (saved.steps() > cfg.steps()) {
            diff = (diff.isEmpty() ? "" : diff + "; ") + "steps " + saved.steps() + " there, " + cfg.steps() + " now";
        }
        if (!diff.isEmpty()) {
            throw new UserError("rl-compare: " + dir + " holds a run made with other settings (" + diff
                    + "); give another --out, or delete that directory to rerun it");
        }
    }

    /** True when {@code dir} holds at least one completed checkpoint. */
    static boolean hasCheckpoint(Path dir) {
        return !new CheckpointStore(dir).list().isEmpty();
    }
}
