package dev.curlab.run;

import java.nio.file.Path;

/**
 * The cadence both loops share, around their own algorithm step: evaluate before the first step of a
 * new run; then step; after a step, evaluate (every --eval-every steps and at the end), checkpoint
 * (every --checkpoint-every steps, at the end, and on a stop request), and stop early when asked.
 * The step itself, the evaluation and what a checkpoint holds are the loop's ({@link Body}).
 */
public final class RunLoop {

    /** One loop's algorithm, as the cadence calls it. */
    public interface Body {
        /** Steps completed (after a resume: the checkpoint's). */
        long stepsDone();

        /** One step of the algorithm. */
        void step();

        /** An evaluation on the held-out set, logged and reported. */
        void evaluate();

        /** Writes a checkpoint of the current state (and logs it); returns its directory. */
        Path checkpoint();

        /** Before a checkpoint written only because a stop was requested (not a periodic one). */
        default void beforeStopCheckpoint() {
        }

        /** The latest evaluation's value (eval loss, pass@1), as {@link RunListener.Finished} reports it. */
        double latestEval();

        /** The run log's account of the latest evaluation at the end ("final eval_loss 3.1"). */
        String finalEval();
    }

    /** How the loop ended: the steps done, whether a stop request ended it, and its last checkpoint (null when none). */
    public record Outcome(long steps, boolean stopped, Path checkpoint) {
    }

    private RunLoop() {
    }

    /**
     * Reports {@code start}, then runs the remaining steps of {@code body}; returns early (with a
     * checkpoint) when {@code stop} is requested.
     */
    public static Outcome run(Cadence cadence, RunListener.Started start, Body body, RunDirectory<?> run, RunListener listener,
            StopSignal stop) {
        listener.started(start);
        if (body.stepsDone() == 0) {
            body.evaluate();                                                   // the starting point of a new run
        }
        Path last = null;
        while (body.stepsDone() < cadence.steps()) {
            body.step();
            long done = body.stepsDone();
            boolean end = done == cadence.steps();
            if (cadence.evaluatesAfter(done)) {
                body.evaluate();
            }
            boolean stopping = stop.requested();
            boolean periodic = end || cadence.checkpointsAfter(done);
            if (stopping && !periodic) {
                body.beforeStopCheckpoint();
            }
            if (periodic || stopping) {
                last = body.checkpoint();
                listener.checkpointed(done, last);
            }
            if (stopping && !end) {
                run.log("stopped at step " + done + "; checkpoint " + last);
                listener.finished(new RunListener.Finished(done, body.latestEval(), true));
                return new Outcome(done, true, last);
            }
        }
        long done = body.stepsDone();
        run.log("finished " + done + " steps; " + body.finalEval());
        listener.finished(new RunListener.Finished(done, body.latestEval(), false));
        return new Outcome(done, false, last);
    }
}
