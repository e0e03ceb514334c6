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
