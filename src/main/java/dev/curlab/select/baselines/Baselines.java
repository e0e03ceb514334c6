package dev.curlab.select.baselines;

/** Registers the baseline selectors with {@link dev.curlab.select.Selectors}. */
public final class Baselines {
    private Baselines() {
    }

    public static void registerAll() {
    }
}
