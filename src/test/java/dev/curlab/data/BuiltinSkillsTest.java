package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuiltinSkillsTest {
    private static final int T = 64;

    private static List<Window> windows(String spec, long seed, Role role, int count) {
        return DataSpecs.take(DataSpecs.open(spec, new ByteTokenizer(), T, seed, role), count);
    }

    @Test
    void openedFromItsSpecAndDeterministicPerSeed() {
        assertInstanceOf(BuiltinSkills.class, DataSpecs.open("builtin:skills", new ByteTokenizer(), T, 1, Role.TRAIN));
        assertEquals(windows("builtin:skills", 7, Role.TRAIN, 200), windows("builtin:skills", 7, Role.TRAIN, 200));
        assertNotEquals(windows("builtin:skills", 7, Role.TRAIN, 50), windows("builtin:skills", 8, Role.TRAIN, 50));
        assertNotEquals(windows("builtin:skills", 7, Role.TRAIN, 50), windows("builtin:skills", 7, Role.HELDOUT, 50));
    }

    @Test
    void windowsCarrySkillAndLevelLabels() {
        List<Window> ws = windows("builtin:skills", 5, Role.TRAIN, 400);
        for (int i = 0; i < ws.size(); i++) {
            Window w = ws.get(i);
            assertEquals(i, w.id());
            assertEquals(T + 1, w.tokens().length);
            Skill s = Skill.byTag(w.source());
            assertTrue(s != null, w.toString());
            assertEquals(s.level(), w.difficulty(), w.toString());
            assertTrue(text(w).startsWith(first(s)), "a window starts at a document: " + text(w));
        }
        assertEquals(Skill.values().length, counts(ws).size());
    }

    @Test
    void trainSharesFollowTheWeightsAndHeldoutIsTheTarget() {
        String spec = "builtin:skills?digits=3&carry=1&sums=0&assign=0&chain2=0&chain4=0&chain8=0&f=0&g=0&fg=0";
        Map<String, Integer> c = counts(windows(spec, 11, Role.TRAIN, 2000));
        assertEquals(Set.of("digits", "carry"), c.keySet());
        assertEquals(0.75, c.get("digits") / 2000.0, 0.03);
        for (Role role : List.of(Role.HELDOUT, Role.EVAL)) {
            Map<String, Integer> h = counts(windows(spec, 11, role, 900));
            assertEquals(Set.of("sums", "chain8", "fg"), h.keySet(), "held-out = default target whatever the weights");
            for (int n : h.values()) {
                assertEquals(300, n, 60);
            }
        }
        assertEquals(Set.of("fg"), counts(windows("builtin:skills?target=fg", 1, Role.EVAL, 50)).keySet());
        assertEquals(Set.of("carry", "chain4"),
                counts(windows("builtin:skills?target=chain4+carry", 1, Role.HELDOUT, 200)).keySet());
    }

    @Test
    void specRoundTripsAndRejectsBadKeys() {
        SkillsSpec s = SkillsSpec.parse("builtin:skills?fg=2&target=fg+sums");
        assertEquals(s, SkillsSpec.parse(s.toString()));
        assertEquals(List.of(Skill.SUMS, Skill.FG), s.target());
        assertEquals(SkillsSpec.defaults(), SkillsSpec.parse("builtin:skills"));
        assertMessage("builtin:skills?sum=1", "unknown key 'sum'");
        assertMessage("builtin:skills?fg", "needs a value");
        assertMessage("builtin:skills?fg=x", "fg must be a number, got 'x'");
        assertMessage("builtin:skills?fg=-1", "fg is a weight");
        assertMessage("builtin:skills?target=fg+h", "target: unknown skill 'h'");
        assertMessage("builtin:skills?digits=0&carry=0&sums=0&assign=0&chain2=0&chain4=0&chain8=0&f=0&g=0&fg=0",
                "must not all be zero");
        UserError e = assertThrows(UserError.class, () -> DataSpecs.open("builtin:skillz", new ByteTokenizer(), T, 1, Role.TRAIN));
        assertTrue(e.getMessage().contains("builtin:skills"), e.getMessage());
    }

    /** Sums are right, carry really carries, and every sums document needs at least one carry. */
    @Test
    void arithmeticSkillsAreCorrect() {
        Pattern sum = Pattern.compile("(\\d+)\\+(\\d+)=(\\d+)");
        for (Window w : windows("builtin:skills?target=digits+carry+sums", 3, Role.HELDOUT, 300)) {
            for (String doc : wholeDocuments(w)) {
                Matcher m = sum.matcher(doc);
                assertTrue(m.matches(), doc);
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(2));
                assertEquals(a + b, Long.parseLong(m.group(3)), doc);
                switch (w.source()) {
                    case "digits" -> assertTrue(a < 10 && b < 10, doc);
                    case "carry" -> assertTrue(a >= 10 && a < 100 && b < 10 && a % 10 + b >= 10, doc);
                    default -> assertTrue(a >= 100 && b >= 100 && hasCarry(a, b), doc);
                }
            }
        }
    }

    /** A chain's answer is computed from its assignments: the start value plus every increment, mod 10. */
    @Test
    void chainAnswersFollowTheAssignments() {
        Map<String, Integer> lengths = Map.of("assign", 1, "chain2", 2, "chain4", 4, "chain8", 8);
        int checked = 0;
        for (Window w : windows("builtin:skills?target=assign+chain2+chain4+chain8", 4, Role.HELDOUT, 300)) {
            for (String doc : wholeDocuments(w)) {
                String[] parts = doc.split(";");
                assertEquals(lengths.get(w.source()) + 1, parts.length, doc);
                Map<Character, Integer> vars = new HashMap<>();
                for (int i = 0; i < parts.length - 1; i++) {
                    String p = parts[i];
                    char v = p.charAt(0);
                    assertTrue(!vars.containsKey(v) && v != 'f' && v != 'g', "a fresh variable: " + doc);
                    int value;
                    if (i == 0) {
                        assertTrue(p.matches("[a-z]=\\d"), doc);
                        value = p.charAt(2) - '0';
                    } else {
                        assertTrue(p.matches("[a-z]=[a-z]\\+[1-9]"), doc);
                        assertEquals(parts[i - 1].charAt(0), p.charAt(2), "each step reads the previous variable: " + doc);
                        value = (vars.get(p.charAt(2)) + (p.charAt(4) - '0')) % 10;
                    }
                    vars.put(v, value);
                }
                String query = parts[parts.length - 1];
                assertTrue(query.matches("[a-z]\\?\\d"), doc);
                assertEquals(parts[parts.length - 2].charAt(0), query.charAt(0), doc);
                assertEquals((int) vars.get(query.charAt(0)), query.charAt(2) - '0', doc);
                checked++;
            }
        }
        assertTrue(checked > 300, "documents checked: " + checked);
    }

    /** fg's answer is f applied to g's: the composition of the two tables the f and g skills teach. */
    @Test
    void compositionIsFOfG() {
        Map<Integer, Integer> f = new HashMap<>();
        Map<Integer, Integer> g = new HashMap<>();
        Pattern one = Pattern.compile("([fg])\\((\\d)\\)=(\\d)");
        Pattern both = Pattern.compile("f\\(g\\((\\d)\\)\\)=(\\d)");
        List<Window> ws = windows("builtin:skills?target=f+g+fg", 6, Role.HELDOUT, 300);
        for (Window w : ws) {
            for (String doc : wholeDocuments(w)) {
                Matcher m = one.matcher(doc);
                if (m.matches()) {
                    assertEquals(w.source(), m.group(1), doc);
                    (m.group(1).equals("f") ? f : g).merge(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                            (x, y) -> {
                                assertEquals(x, y, "a fixed function: " + doc);
                                return x;
                            });
                }
            }
        }
        assertEquals(10, f.size());
        assertEquals(10, Set.copyOf(f.values()).size(), "f is a permutation");
        assertEquals(10, Set.copyOf(g.values()).size(), "g is a permutation");
        for (Window w : ws) {
            if (w.source().equals("fg")) {
                for (String doc : wholeDocuments(w)) {
                    Matcher m = both.matcher(doc);
                    assertTrue(m.matches(), doc);
                    assertEquals((int) f.get(g.get(Integer.parseInt(m.group(1)))), Integer.parseInt(m.group(2)), doc);
                }
            }
        }
    }

    @Test
    void prerequisitesPointToEasierSkills() {
        for (Skill s : Skill.values()) {
            for (String p : s.prerequisites()) {
                assertTrue(Skill.byTag(p).level() < s.level(), s + " <- " + p);
            }
        }
        for (Skill t : SkillsSpec.DEFAULT_TARGET) {
            for (Skill s : Skill.values()) {
                assertTrue(!s.prerequisites().contains(t.tag()), "a target ends the graph: " + t);
            }
        }
    }

    @Test
    void skipToReproducesTheStream() {
        List<Window> straight = windows("builtin:skills", 21, Role.TRAIN, 40);
        DataSource b = DataSpecs.open("builtin:skills", new ByteTokenizer(), T, 21, Role.TRAIN);
        b.skipTo(30);
        assertArrayEquals(straight.get(30).tokens(), b.next().tokens());
    }

    private static void assertMessage(String spec, String part) {
        UserError e = assertThrows(UserError.class, () -> SkillsSpec.parse(spec));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static boolean hasCarry(long a, long b) {
        for (; a > 0 || b > 0; a /= 10, b /= 10) {
            if (a % 10 + b % 10 >= 10) {
                return true;
            }
        }
        return false;
    }

    private static String first(Skill s) {
        return switch (s) {
            case F -> "f(";
            case G -> "g(";
            case FG -> "f(g(";
            default -> "";
        };
    }

    private static String text(Window w) {
        StringBuilder s = new StringBuilder();
        for (int t : w.tokens()) {
            s.append(t == 256 ? '\n' : (char) t);
        }
        return s.toString();
    }

    /** The window's documents except the last, which may be cut. */
    private static List<String> wholeDocuments(Window w) {
        String[] docs = text(w).split("\n", -1);
        return List.of(docs).subList(0, docs.length - 1);
    }

    private static Map<String, Integer> counts(List<Window> ws) {
        Map<String, Integer> c = new HashMap<>();
        for (Window w : ws) {
            c.merge(w.source(), 1, Integer::sum);
        }
        return c;
    }
}
