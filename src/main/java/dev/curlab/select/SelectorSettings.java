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
 */
public record SelectorSettings(int selectBatch, SoftQConfig softQ, BaselineConfig baselines) {

    public static final SelectorSettings DEFAULT = new SelectorSettings(1, SoftQConfig.DEFAULT, BaselineConfig.DEFAULT);

    public SelectorSettings {
        if (selectBatch < 1) {
            throw new UserError("--select-batch must be >= 1, got " + selectBatch);
        }
        if (softQ == null) {
            softQ = SoftQConfig.DEFAULT;
        }
        if (baselines == null) {
            baselines = BaselineConfig.DEFAULT;
        }
    }
}
