package dev.curlab.select.softq;

import dev.curlab.select.Selectors;

/** Registers the soft-Q selectors with {@link dev.curlab.select.Selectors}. */
public final class SoftQSelectors {
    private SoftQSelectors() {
    }

    public static void registerAll() {
        Selectors.register("soft-q", "soft Q-learning on hidden states, Boltzmann policy (paper Alg. 1; --soft-mixture: sec. 2.6)",
                SoftQSelector::new);
    }
}
