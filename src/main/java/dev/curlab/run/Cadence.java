package dev.curlab.run;

/**
 * When a run evaluates and checkpoints: after every {@code evalEvery} steps and at the end; a periodic
 * checkpoint every {@code checkpointEvery} steps (0 = none) and at the end.
 */
public record Cadence(long steps, long evalEvery, long checkpointEvery) {

    /** Whether the run evaluates once {@code done} steps are complete. */
    public boolean evaluatesAfter(long done) {
        return done == steps || done % evalEvery == 0;
    }

    /** Whether the run writes a periodic checkpoint once {@code done} steps are complete (the end's is not periodic). */
    public boolean checkpointsAfter(long done) {
        return checkpointEvery > 0 && done % checkpointEvery == 0;
    }
}
