package dev.curlab.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run reports as it goes (console, progress), for both loops: pretraining reports its train
 * loss and held-out eval loss, RL its mean reward and held-out pass@1. Every method defaults to silence.
 */
public interface RunListener {
    RunListener SILENT = new RunListener() {
    };

    /** The run starts (or resumes) at {@code fromStep} of {@code steps}; {@code config} is the loop's config record. */
    record Started(Object config, Map<String, Object> resolved, long fromStep, long steps, long evalEvery) {
    }

    /**
     * A step is done. {@code value}: the step's train loss (pretraining) or mean reward (RL);
     * {@code measure}: the step's held-out reward (pretraining; NaN when not measured) or the latest held-out pass@1 (RL).
     */
    record Stepped(long step, long total, double value, double measure) {
    }

    /** An evaluation at {@code step}: held-out eval loss (pretraining) or greedy pass@1 (RL). */
    record Evaluated(long step, double value) {
    }

    /** The run ended at {@code step} ({@code stopped}: on a stop request), its latest evaluation {@code value}. */
    record Finished(long step, double value, boolean stopped) {
    }

    default void started(Started e) {
    }

    default void step(Stepped e) {
    }

    default void evaluated(Evaluated e) {
    }

    default void checkpointed(long step, Path dir) {
    }

    default void warning(String message) {
    }

    default void finished(Finished e) {
    }
}
