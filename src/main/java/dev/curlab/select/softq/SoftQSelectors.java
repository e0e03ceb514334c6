package dev.curlab.select.softq;

import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.util.Registry;
import java.util.List;

/** The soft-Q selectors, listed for the selector catalogue ({@code select.catalog.Selectors}). */
public final class SoftQSelectors {
    private SoftQSelectors() {
    }

    public static List<Registry.Entry<SelectorContext, Selector>> entries() {
        return List.of(Registry.entry("soft-q", "soft Q-learning on hidden states, Boltzmann policy (paper Alg. 1; --soft-mixture: sec. 2.6)",
                SoftQSelector::new));
    }
}
