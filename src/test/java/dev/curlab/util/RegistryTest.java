package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.rl.Curators;
import dev.curlab.select.catalog.Selectors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one registry of strategies: lookup, its error line, user registration, and the lists it is built from. */
class RegistryTest {
    private static Registry<Integer, String> twoEntries() {
        return new Registry<>("--thing", "thing", List.of(
                Registry.entry("double", "twice the context", c -> "x".repeat(2 * c)),
                Registry.entry("same", "the context", c -> "x".repeat(c))));
    }

    @Test
    void createsByNameWithTheContext() {
        assertEquals("xxxxxx", twoEntries().create("double", 3));
        assertEquals("xxx", twoEntries().create("same", 3));
        assertEquals(List.of("double", "same"), List.copyOf(twoEntries().names()));
    }

    @Test
    void anUnknownNameIsOneLineNamingTheOptionAndTheKnownNames() {
        UserError e = assertThrows(UserError.class, () -> twoEntries().create("triple", 1));
        assertEquals("--thing: unknown thing 'triple' (expected one of double, same)", e.getMessage());
    }

    @Test
    void aNameIsTakenOnce() {
        assertThrows(IllegalArgumentException.class, () -> new Registry<Integer, String>("--thing", "thing", List.of(
                Registry.entry("a", "", c -> ""), Registry.entry("a", "", c -> ""))));
        Registry<Integer, String> r = twoEntries();
        assertThrows(IllegalArgumentException.class, () -> r.register(Registry.entry("same", "", c -> "")));
        r.register(Registry.entry("triple", "thrice", c -> "x".repeat(3 * c)));
        assertEquals("xxx", r.create("triple", 1));
        assertEquals("  triple           thrice%n".formatted(), r.describe().lines().skip(2).findFirst().orElseThrow() + "%n".formatted());
    }

    /** "repeat" takes its settings from its entry: times (default B) and a separator. */
    private static Registry<Integer, String> withSettings() {
        record Rep(int times, String sep) {
        }
        return new Registry<>("--thing", "thing", List.of(
                Registry.entry("repeat", "the context, repeated", (spec, b) -> {
                    spec.allowOnly(java.util.Set.of("times", "sep"));
                    return new Rep(spec.integer("times", b, 1), spec.choice("sep", "-", java.util.Set.of("-", "+")));
                }, (c, r) -> String.join(r.sep(), java.util.Collections.nCopies(r.times(), "x".repeat(c)))),
                Registry.entry("same", "the context", c -> "x".repeat(c))));
    }

    @Test
    void anEntryParsesItsOwnSettingsAndHandsThemToItsFactory() {
        Registry<Integer, String> r = withSettings();
        assertEquals("xx-xx-xx", r.create(r.spec("repeat"), 3, 2));                 // times defaults to B = 3
        assertEquals("x+x", r.create(r.spec("repeat?times=2&sep=+"), 3, 1));
        assertEquals("xx", r.create(r.spec("same"), 3, 2));
    }

    @Test
    void anUnknownSettingIsOneLineNamingTheKeyAndTheAcceptedKeys() {
        Registry<Integer, String> r = withSettings();
        UserError e = assertThrows(UserError.class, () -> r.check(r.spec("repeat?count=2"), 3));
        assertEquals("--thing repeat?count=2: unknown setting 'count' of repeat (expected one of sep, times)", e.getMessage());
        e = assertThrows(UserError.class, () -> r.check(r.spec("same?times=2"), 3));
        assertEquals("--thing same?times=2: same takes no settings, got 'times'", e.getMessage());
        e = assertThrows(UserError.class, () -> r.create(r.spec("repeat?times=0"), 3, 1));
        assertEquals("--thing repeat?times=0: times must be an integer >= 1, got '0'", e.getMessage());
    }

    @Test
    void aSelectorValueWithSettingsIsRefusedBeforeTheRunNamingTheKey() {
        UserError e = assertThrows(UserError.class, () -> Selectors.check("soft-q?beta=1", 1));
        assertEquals("--selector soft-q?beta=1: soft-q takes no settings, got 'beta'", e.getMessage());
        e = assertThrows(UserError.class, () -> Selectors.check("nosuch?beta=1", 1));
        assertEquals("--selector: unknown selector 'nosuch' (expected one of " + String.join(", ", Selectors.names()) + ")", e.getMessage());
        Selectors.check("soft-q", 1);
        Selectors.check("loss", 4);
    }

    @Test
    void aCuratorsUnknownSettingNamesTheKeyAndItsAcceptedKeys() {
        UserError e = assertThrows(UserError.class, () -> Curators.check("dapo?gen_batch=4", 8));
        assertEquals("--curator dapo?gen_batch=4: unknown setting 'gen_batch' of dapo (expected one of gen-batch, max-gen-batches)",
                e.getMessage());
        e = assertThrows(UserError.class, () -> Curators.check("oracle?x=1", 8));
        assertEquals("--curator difficulty-oracle?x=1: difficulty-oracle takes no settings, got 'x'", e.getMessage());
    }

    @Test
    void theHelpListOfCuratorsIsTheRegistry() {
        assertEquals(List.copyOf(Curators.names()), Arrays.asList(Curators.NAMES.split(", ")));
    }

    @Test
    void theSelectorCatalogueListsEveryPackagesSelectors() {
        List<String> names = List.copyOf(Selectors.names());
        assertEquals("random", names.get(0));
        for (String s : List.of("loss", "uncertainty", "competence", "rho-loss", "greats", "oracle-mixture", "soft-q")) {
            assertEquals(true, names.contains(s), s);
        }
    }
}
