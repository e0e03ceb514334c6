package dev.curlab.run;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a directory holds a curlab run (pretraining or RL): what commands writing elsewhere must never write into. */
public final class RunMarkers {
    private RunMarkers() {
    }

    /** True when {@code dir} holds a run's checkpoints, metrics, log or lock. */
    public static boolean isRun(Path dir) {
        return marker(dir) != null;
    }

    /** The first file or folder that marks {@code dir} as a run, or null. */
    public static String marker(Path dir) {
        for (String f : new String[] {"checkpoints", "metrics.jsonl", "train.log", ".lock"}) {
            if (Files.exists(dir.resolve(f))) {
                return f;
            }
        }
        return null;
    }
}
