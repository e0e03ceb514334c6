package dev.curlab.select.softq;

/** Registers the soft-Q selectors with {@link dev.curlab.select.Selectors}. */
public final class SoftQSelectors {
    private SoftQSelectors() {
    }

    public static void registerAll() {
    }
}
