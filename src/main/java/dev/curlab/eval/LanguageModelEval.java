package dev.curlab.eval;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.DataSource;
import dev.curlab.data.Window;
import dev.curlab.model.WindowScorer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mean next-token loss of a model over the windows of a data stream, streamed batch by batch:
 * the windows of the stream's first epoch (see {@code FileSource}: documents joined with
 * end-of-text, non-overlapping windows of T + 1 tokens, the trailing partial window dropped), or
 * its first {@code maxWindows}.
 */
public final class LanguageModelEval {

    /**
     * @param meanLoss   token-weighted mean cross-entropy, nats per token
     * @param perplexity exp(meanLoss)
     * @param windows    windows scored
     * @param tokens     next-token predictions scored (windows x T)
     */
    public record Result(double meanLoss, double perplexity, long windows, long tokens) {
    }

    private LanguageModelEval() {
    }

    /** Scores a freshly opened stream; {@code maxWindows} 0 = the whole first epoch (finite streams only). */
    public static Result run(WindowScorer scorer, NDManager parent, DataSource src, long maxWindows, int batchSize) {
        double sum = 0;
        long tokens = 0;
        long windows = 0;
        int startEpoch = src.epoch();
        boolean more = true;
        while (more) {
            List<int[]> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && (maxWindows == 0 || windows + batch.size() < maxWindows)) {
                Window w = src.next();
                if (src.epoch() != startEpoch) { // the stream wrapped: the first epoch is done
                    more = false;
                    break;
                }
                batch.add(w.tokens());
            }
            if (batch.size() < batchSize) {
                more = false;
            }
            if (batch.isEmpty()) {
                break;
            }
            try (NDManager step = parent.newSubManager()) {
                float[] loss = scorer.score(step, batch, false, false).loss();
                for (int i = 0; i < loss.length; i++) {
                    int t = batch.get(i).length - 1;
                    sum += (double) loss[i] * t;
                    tokens += t;
                }
            }
            windows += batch.size();
        }
        double mean = tokens == 0 ? Double.NaN : sum / tokens;
        return new Result(mean, Math.exp(mean), windows, tokens);
    }
}
