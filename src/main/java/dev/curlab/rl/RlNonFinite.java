package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import dev.curlab.run.CheckpointStore;
import dev.curlab.train.NonFiniteError;
import dev.curlab.run.RunDirectory;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The RL loop's guard against a broken policy, as the pretraining loop's: a NaN or infinity in the
 * policy loss, its gradient norm or the policy's weights after an update stops the run (exit 3),
 * naming the step, the quantity and the last good checkpoint, which it leaves intact.
 */
final class RlNonFinite {
    private RlNonFinite() {
    }

    /** Throws {@link NonFiniteError} when {@code value} is not finite. */
    static void check(long step, String quantity, double value, RunDirectory<?> run) {
        if (Double.isFinite(value)) {
            return;
        }
        List<Path> kept = new CheckpointStore(run.dir()).list();
        String where = kept.isEmpty() ? "no checkpoint was written yet" : "the last good checkpoint is " + kept.get(0);
        String msg = "step " + step + ": non-finite " + quantity + " (" + value + "); the run stopped and " + where
                + " (lower --lr or --clip)";
        run.log(msg);
        throw new NonFiniteError(msg);
    }

    /** sqrt(sum of squared weights), summed in float32 per tensor: infinite once a weight passes about 1.8e19. */
    static double weightNorm(Collection<NDArray> parameters) {
        double sumSq = 0;
        for (NDArray p : parameters) {
            try (NDArray sq = p.square(); NDArray s = sq.sum()) {
                sumSq += s.getFloat();
            }
        }
        return Math.sqrt(sumSq);
    }
}
