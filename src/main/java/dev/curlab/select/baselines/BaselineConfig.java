package dev.curlab.select.baselines;

/** Options of the baseline selectors (filled in by their implementations). */
public record BaselineConfig() {
    public static final BaselineConfig DEFAULT = new BaselineConfig();
}
