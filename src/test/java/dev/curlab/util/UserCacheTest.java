package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache directory follows XDG: an absolute $XDG_CACHE_HOME, else ~/.cache (the environment is a parameter). */
class UserCacheTest {
    private static Path root(String xdg) {
        Map<String, String> env = new HashMap<>();
        if (xdg != null) {
            env.put("XDG_CACHE_HOME", xdg);
        }
        return UserCache.root(env::get, "/home/ada");
    }

    @Test
    void anAbsoluteXdgCacheHomeWins() {
        assertEquals(Path.of("/var/cache/ada/curlab"), root("/var/cache/ada"));
    }

    @Test
    void unsetEmptyOrRelativeFallsBackToDotCacheInTheHome() {
        assertEquals(Path.of("/home/ada/.cache/curlab"), root(null));
        assertEquals(Path.of("/home/ada/.cache/curlab"), root(""));
        assertEquals(Path.of("/home/ada/.cache/curlab"), root("relative/cache"));
    }
}
