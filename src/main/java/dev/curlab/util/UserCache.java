package dev.curlab.util;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The user's cache directory for curlab, after the XDG Base Directory convention:
 * {@code $XDG_CACHE_HOME/curlab} when that variable holds an absolute path, else
 * {@code ~/.cache/curlab}. Only caches live there (files that a run can rebuild); a run's own
 * outputs stay under its {@code --out}.
 */
public final class UserCache {
    private UserCache() {
    }

    /** curlab's cache directory for this process's environment and home directory. */
    public static Path root() {
        return root(System::getenv, System.getProperty("user.home"));
    }

    /**
     * curlab's cache directory for an environment and a home directory. A relative or empty
     * {@code XDG_CACHE_HOME} is ignored, as the convention asks.
     */
    public static Path root(Function<String, String> env, String home) {
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "curlab");
        }
        return Path.of(home, ".cache", "curlab");
    }

    /** Where irreducible-loss models are cached by default (rho-loss and soft-q's prior). */
    public static Path ilModels() {
        return root().resolve("il-models");
    }
}
