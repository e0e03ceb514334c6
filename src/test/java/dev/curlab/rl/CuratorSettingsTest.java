package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/** A curator setting that a curator does not take, or a key given twice, is refused in one line naming it. */
class CuratorSettingsTest {
    private static String refusal(String curator) {
        return assertThrows(UserError.class, () -> RlConfig.builder().curator(curator).build()).getMessage();
    }

    @Test
    void curatorsWithoutSettingsRefuseAnyKey() {
        assertEquals("--curator soft-q?beta=1: soft-q takes no settings, got 'beta'", refusal("soft-q?beta=1"));
        assertEquals("--curator learnability-history?decay=2: learnability-history takes no settings, got 'decay'",
                refusal("learnability-history?decay=2"));
        assertEquals("--curator uniform?x=1: uniform takes no settings, got 'x'", refusal("uniform?x=1"));
        assertEquals("--curator difficulty-oracle?x=1: difficulty-oracle takes no settings, got 'x'", refusal("difficulty-oracle?x=1"));
    }

    @Test
    void curatorsWithSettingsRefuseUnknownAndRepeatedKeys() {
        assertEquals("--curator alp-gmm?window=16&window=32: setting 'window' is given twice; give it once",
                refusal("alp-gmm?window=16&window=32"));
        assertEquals("--curator bandit-adv?beta=1: unknown setting 'beta' of bandit-adv (expected one of "
                + String.join(", ", new java.util.TreeSet<>(BanditAdvCurator.KEYS)) + ")", refusal("bandit-adv?beta=1"));
        assertEquals("--curator: unknown curator 'nosuch' (expected one of " + Curators.NAMES + ")", refusal("nosuch"));
    }

    @Test
    void goodSpecsPass() {
        Curators.check("uniform", 8);
        Curators.check("alp-gmm?window=16", 8);
        Curators.check("curator", 8);
        Curators.check("dapo?max-gen-batches=3", 8);
        assertEquals("learnability", RlConfig.builder().curator("learnability").build().curator());
    }
}
