package dev.curlab.train;

import java.nio.file.Path;
import java.util.Map;

/** What the trainer reports as it goes (console, progress bar); every method defaults to silence. */
public interface TrainerListener {

    TrainerListener SILENT = new TrainerListener() {
    };

    default void started(TrainConfig config, Map<String, Object> resolved, long fromStep) {
    }

    default void step(long step, long total, double trainLoss, double reward) {
    }

    default void evaluated(long step, double evalLoss) {
    }

    default void checkpointed(long step, Path dir) {
    }

    default void warning(String message) {
    }

    default void finished(long step, double evalLoss, boolean stopped) {
    }
}
