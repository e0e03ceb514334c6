package dev.curlab.select.softq;

/** Options of the soft-Q selector (filled in by the soft-Q implementation). */
public record SoftQConfig() {
    public static final SoftQConfig DEFAULT = new SoftQConfig();
}
