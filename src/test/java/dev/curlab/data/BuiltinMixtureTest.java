package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuiltinMixtureTest {
    private static final int T = 64;

    private static List<Window> windows(long seed, Role role, int count) {
        return DataSpecs.take(new BuiltinMixture(MixtureSpec.defaults(), T, seed, role), count);
    }

    @Test
    void sameSeedSameWindows() {
        assertEquals(windows(7, Role.TRAIN, 200), windows(7, Role.TRAIN, 200));
        assertNotEquals(windows(7, Role.TRAIN, 50), windows(8, Role.TRAIN, 50));
    }

    @Test
    void rolesShareNoWindowContent() {
        Set<String> seen = new HashSet<>();
        for (Role role : Role.values()) {
            for (Window w : windows(7, role, 300)) {
                if (w.source().equals("duplicates")) {
                    continue; // fixed documents, identical by design (TRAIN only)
                }
                assertTrue(seen.add(Arrays.toString(w.tokens())), "window repeated across roles: " + w);
            }
        }
    }

    @Test
    void heldoutAndEvalHoldOnlyTargetSources() {
        for (Role role : List.of(Role.HELDOUT, Role.EVAL)) {
            Map<String, Integer> counts = countSources(windows(3, role, 600));
            assertEquals(Set.of("arithmetic", "grammar", "copy"), counts.keySet(), role + ": " + counts);
        }
    }

    @Test
    void trainSharesMatchTheSpec() {
        int n = 2000;
        Map<String, Integer> counts = countSources(windows(11, Role.TRAIN, n));
        double[] p = MixtureSpec.defaults().probabilities(Role.TRAIN);
        for (MixtureSource s : MixtureSource.values()) {
            double share = counts.getOrDefault(s.tag(), 0) / (double) n;
            assertEquals(p[s.ordinal()], share, 0.035, s.tag() + " share");
        }
    }

    @Test
    void windowsHaveLengthIdsAndTags() {
        List<Window> ws = windows(5, Role.TRAIN, 300);
        Set<Double> levels = new HashSet<>();
        for (int i = 0; i < ws.size(); i++) {
            Window w = ws.get(i);
            assertEquals(i, w.id());
            assertEquals(T + 1, w.tokens().length);
            assertTrue(w.hasSource());
            if (w.source().equals("noise")) {
                assertFalse(w.hasDifficulty(), "noise windows are documented to carry NaN");
            } else {
                assertTrue(w.difficulty() >= 1 && w.difficulty() <= 4, w.toString());
                levels.add(w.difficulty());
            }
            for (int t : w.tokens()) {
                assertTrue(t >= 0 && t <= 256);
            }
        }
        assertEquals(Set.of(1.0, 2.0, 3.0, 4.0), levels);
    }

    @Test
    void documentsMatchTheirSourceFormat() {
        Pattern arithmetic = Pattern.compile("\\d+[+*-]\\d+=\\d+");
        Pattern copy = Pattern.compile("([a-z0-9]+)[|>]\\1");
        Pattern grammar = Pattern.compile("[a-z ]+\\.");
        for (Window w : windows(9, Role.HELDOUT, 200)) {
            String[] docs = documents(w);
            for (int i = 0; i < docs.length - 1; i++) { // the last document may be cut
                Pattern p = switch (w.source()) {
                    case "arithmetic" -> arithmetic;
                    case "copy" -> copy;
                    default -> grammar;
                };
                assertTrue(p.matcher(docs[i]).matches(), w.source() + ": '" + docs[i] + "'");
            }
        }
    }

    @Test
    void arithmeticIsCorrectAndLevelIsDigitCount() {
        for (Window w : windows(13, Role.HELDOUT, 300)) {
            if (!w.source().equals("arithmetic")) {
                continue;
            }
            String[] docs = documents(w);
            for (int i = 0; i < docs.length - 1; i++) {
                String[] parts = docs[i].split("[+*=-]");
                long a = Long.parseLong(parts[0]);
                long b = Long.parseLong(parts[1]);
                char op = docs[i].charAt(parts[0].length());
                long expected = op == '+' ? a + b : op == '-' ? a - b : a * b;
                assertEquals(expected, Long.parseLong(parts[2]), docs[i]);
                assertEquals((int) w.difficulty(), Math.max(parts[0].length(), parts[1].length()), docs[i]);
            }
        }
    }

    @Test
    void duplicatesRecurVerbatimAcrossSeeds() {
        Set<String> dupes = new HashSet<>();
        for (long seed : new long[] {1, 2}) {
            for (Window w : windows(seed, Role.TRAIN, 400)) {
                if (w.source().equals("duplicates")) {
                    dupes.add(Arrays.toString(w.tokens()));
                }
            }
        }
        assertTrue(dupes.size() <= DuplicateDocuments.COUNT, "distinct duplicate windows: " + dupes.size());
    }

    @Test
    void skipToReproducesTheStream() {
        BuiltinMixture a = new BuiltinMixture(MixtureSpec.defaults(), T, 21, Role.TRAIN);
        List<Window> straight = DataSpecs.take(a, 40);
        BuiltinMixture b = new BuiltinMixture(MixtureSpec.defaults(), T, 21, Role.TRAIN);
        b.skipTo(30);
        assertEquals(straight.get(30), b.next());
        assertArrayEquals(straight.get(31).tokens(), b.next().tokens());
    }

    private static String[] documents(Window w) {
        StringBuilder s = new StringBuilder();
        for (int t : w.tokens()) {
            s.append(t == 256 ? '\n' : (char) t);
        }
        return s.toString().split("\n", -1);
    }

    private static Map<String, Integer> countSources(List<Window> ws) {
        Map<String, Integer> counts = new HashMap<>();
        for (Window w : ws) {
            counts.merge(w.source(), 1, Integer::sum);
        }
        return counts;
    }
}
