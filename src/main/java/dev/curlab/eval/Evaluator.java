package dev.curlab.eval;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.Window;
import dev.curlab.model.WindowScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mean next-token loss over a fixed set of windows, in batches, without a graph. Reported
 * perplexity is exp(mean loss) over the evaluation set, which is never used for rewards or selection.
 */
public final class Evaluator {
    private final int batchSize;

    public Evaluator(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Token-weighted mean loss (nats per token) of {@code windows}. */
    public double meanLoss(WindowScorer scorer, NDManager parent, List<Window> windows) {
        double sum = 0;
        long tokens = 0;
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<Window> part = windows.subList(from, Math.min(windows.size(), from + batchSize));
            List<int[]> ids = new ArrayList<>(part.size());
            for (Window w : part) {
                ids.add(w.tokens());
            }
            try (NDManager step = parent.newSubManager()) {
                float[] loss = scorer.score(step, ids, false, false).loss();
                for (int i = 0; i < loss.length; i++) {
                    int t = part.get(i).predictions();
                    sum += (double) loss[i] * t;
                    tokens += t;
                }
            }
        }
        return sum / tokens;
    }
}
