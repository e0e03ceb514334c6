package dev.curlab.rl;

/** The independent solver of {@link BanksTest}, for tests in other packages. */
public final class BanksTestAccess {
    private BanksTestAccess() {
    }

    public static String solve(String prompt) {
        return BanksTest.solve(prompt);
    }
}
