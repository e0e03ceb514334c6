package dev.curlab.select;

import dev.curlab.util.UserError;

/**
 * Options shared by selectors.
 *
 * @param selectBatch B, the number of candidates trained on per step (1 = the paper)
 */
public record SelectorSettings(int selectBatch) {

    public static final SelectorSettings DEFAULT = new SelectorSettings(1);

    public SelectorSettings {
        if (selectBatch < 1) {
            throw new UserError("--select-batch must be >= 1, got " + selectBatch);
        }
    }
}
