package dev.curlab.rl;

import java.nio.file.Path;
import java.util.Map;

/** What the RL loop reports as it goes (console, progress); every method defaults to silence. */
public interface RlListener {
    RlListener SILENT = new RlListener() {
    };

    default void started(Map<String, Object> configAndResolved, long fromStep, long steps) {
    }

    default void step(long step, long total, double rewardMean, double accuracy) {
    }

    default void evaluated(long step, double accuracy) {
    }

    default void checkpointed(long step, Path dir) {
    }

    default void warning(String message) {
    }

    default void finished(long step, double accuracy, boolean stopped) {
    }
}
