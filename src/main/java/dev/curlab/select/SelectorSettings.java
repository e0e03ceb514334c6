package dev.curlab.select;

import dev.curlab.select.baselines.BaselineConfig;
import dev.curlab.select.softq.SoftQConfig;
import dev.curlab.util.UserError;

/**
 * Options of the selectors.
 *
 * @param selectBatch B, the number of candidates trained on per step (1 = the paper)
 * @param softQ       options of soft-q
 * @param baselines   options of the baseline selectors
 * @param scoreTokens P, the predictions of each candidate the scoring pass (and a selector's own model) reads:
 *                    its first P tokens' next-token losses and the hidden state at the P-th; 0 = the whole window
 */
public record SelectorSettings(int selectBatch, SoftQConfig softQ, BaselineConfig baselines, int scoreTokens) {

    public static final SelectorSettings DEFAULT = new SelectorSettings(1, SoftQConfig.DEFAULT, BaselineConfig.DEFAULT, 0);

    /** Settings that score whole windows (as before --score-tokens existed). */
    public SelectorSettings(int selectBatch, SoftQConfig softQ, BaselineConfig baselines) {
        this(selectBatch, softQ, baselines, 0);
    }

    public SelectorSettings {
        if (selectBatch < 1) {
            throw new UserError("--select-batch must be >= 1, got " + selectBatch);
        }
        if (scoreTokens < 0) {
            throw new UserError("--score-tokens must be >= 1 (or 0 for the whole window), got " + scoreTokens);
        }
        if (softQ == null) {
            softQ = SoftQConfig.DEFAULT;
        }
        if (baselines == null) {
            baselines = BaselineConfig.DEFAULT;
        }
    }

    /** Predictions scored per candidate window of {@code predictions}: P, or all when P is 0 or longer. */
    public int scoredPredictions(int predictions) {
        return scoreTokens == 0 ? predictions : Math.min(scoreTokens, predictions);
    }
}
