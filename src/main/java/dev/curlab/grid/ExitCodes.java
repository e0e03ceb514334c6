package dev.curlab.grid;

/** The exit codes a grid returns, as the {@code curlab} command documents them. */
public final class ExitCodes {
    public static final int BAD_INPUT = 2;
    public static final int NONFINITE = 3;
    public static final int STOPPED = 130;

    private ExitCodes() {
    }
}
