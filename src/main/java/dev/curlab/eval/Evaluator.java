package dev.curlab.eval;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.Window;
import dev.curlab.model.WindowScorer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mean next-token loss over a fixed set of windows, in batches, without a graph. Reported
 * perplexity is exp(mean loss) over the evaluation set, which is never used for rewards or selection.
 * Where windows carry a source tag, the same per-window losses also give each source's mean.
 */
public final class Evaluator {
    private final int batchSize;

    /**
     * The losses of one evaluation.
     *
     * @param mean     token-weighted mean loss over all windows (nats per token)
     * @param bySource token-weighted mean loss of the windows of each source, in source order; empty when no
     *                 window has a source (windows without one count only in {@code mean})
     * @param tokens   predicted tokens of each source, the weights that give {@code mean} back from
     *                 {@code bySource} when every window has a source
     */
    public record Losses(double mean, Map<String, Double> bySource, Map<String, Long> tokens) {
    }

    public Evaluator(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Token-weighted mean loss (nats per token) of {@code windows}. */
    public double meanLoss(WindowScorer scorer, NDManager parent, List<Window> windows) {
        return losses(scorer, parent, windows).mean();
    }

    /** The mean loss of {@code windows} and, from the same forward passes, the mean of each source. */
    public Losses losses(WindowScorer scorer, NDManager parent, List<Window> windows) {
        double sum = 0;
        long tokens = 0;
        TreeMap<String, double[]> perSource = new TreeMap<>();      // source -> {loss sum, tokens}
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<Window> part = windows.subList(from, Math.min(windows.size(), from + batchSize));
            List<int[]> ids = new ArrayList<>(part.size());
            for (Window w : part) {
                ids.add(w.tokens());
            }
            try (NDManager step = parent.newSubManager()) {
                float[] loss = scorer.score(step, ids, false, false).loss();
                for (int i = 0; i < loss.length; i++) {
                    Window w = part.get(i);
                    int t = w.predictions();
                    sum += (double) loss[i] * t;
                    tokens += t;
                    if (w.hasSource()) {
                        double[] s = perSource.computeIfAbsent(w.source(), k -> new double[2]);
                        s[0] += (double) loss[i] * t;
                        s[1] += t;
                    }
                }
            }
        }
        TreeMap<String, Double> bySource = new TreeMap<>();
        TreeMap<String, Long> sourceTokens = new TreeMap<>();
        perSource.forEach((k, s) -> {
            bySource.put(k, s[0] / s[1]);
            sourceTokens.put(k, (long) s[1]);
        });
        return new Losses(sum / tokens, Collections.unmodifiableMap(bySource), Collections.unmodifiableMap(sourceTokens));
    }
}
