package dev.curlab.cli;

import dev.curlab.select.softq.SoftQConfig;

/** Command-line options of the soft-Q selector. */
final class SoftQOptions {

    SoftQConfig toConfig() {
        return SoftQConfig.DEFAULT;
    }
}
