package dev.curlab.cli;

import dev.curlab.select.baselines.BaselineConfig;

/** Command-line options of the baseline selectors. */
final class BaselineOptions {

    BaselineConfig toConfig() {
        return BaselineConfig.DEFAULT;
    }
}
