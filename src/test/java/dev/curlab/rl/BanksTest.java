package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BanksTest {
    @TempDir
    Path tmp;

    /** An independent evaluation of a builtin prompt. */
    static String solve(String prompt) {
        String body = prompt.substring(0, prompt.length() - 1);
        if (body.startsWith("rev ")) {
            return new StringBuilder(body.substring(4)).reverse().toString();
        }
        if (body.contains("*")) {
            String[] ab = body.split("\\*");
            return Long.toString(Long.parseLong(ab[0]) * Long.parseLong(ab[1]));
        }
        long acc = 0;
        int sign = 1;
        int i = 0;
        while (i < body.length()) {
            char ch = body.charAt(i);
            if (ch == '+' || ch == '-') {
                sign = ch == '+' ? 1 : -1;
                i++;
                continue;
            }
            int j = i;
            while (j < body.length() && Character.isDigit(body.charAt(j))) {
                j++;
            }
            acc += sign * Long.parseLong(body.substring(i, j));
            i = j;
        }
        return Long.toString(acc);
    }

    @Test
    void builtinProblemsAreRightCarryTheirParamsAndSpanTheRanges() {
        ArithBank bank = new ArithBank("builtin:arith", 3, 10);
        Set<String> buckets = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Problem p = bank.next();
            assertEquals(solve(p.prompt()), p.answer(), p.prompt());
            double v = p.params().values().iterator().next();
            switch (p.source()) {
                case "add" -> assertEquals(2 * (int) v + 2, p.prompt().length(), p.prompt());
                case "mul" -> assertEquals(2 * (int) v + 2, p.prompt().length(), p.prompt());
                case "chain" -> assertEquals(2 * (int) v, p.prompt().length(), p.prompt());
                default -> assertEquals((int) v + 5, p.prompt().length(), p.prompt());
            }
            buckets.add(p.bucket());
        }
        assertEquals(6 + 3 + 5 + 7, buckets.size()); // every (family, parameter) bucket occurs
        assertTrue(buckets.contains("add{digits=6.0}") && buckets.contains("rev{length=2.0}"), buckets.toString());
    }

    @Test
    void streamsAreSeededAndTheHeldOutSetIsItsOwn() {
        ArithBank a = new ArithBank("builtin:arith", 5, 50);
        ArithBank b = new ArithBank("builtin:arith", 5, 50);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.next(), b.next());
        }
        assertEquals(a.heldout(), b.heldout());
        ArithBank otherSeed = new ArithBank("builtin:arith", 6, 50);
        assertEquals(a.heldout(), otherSeed.heldout()); // one held-out set for every seed, so runs compare
        assertNotEquals(a.next(), otherSeed.next());
        ArithBank c = new ArithBank("builtin:arith", 5, 50);
        List<String> train = java.util.stream.Stream.generate(c::next).limit(50).map(Problem::prompt).toList();
        assertNotEquals(train, c.heldout().stream().map(Problem::prompt).toList());
        ArithBank only = new ArithBank("builtin:arith?families=rev", 5, 5);
        assertEquals("rev", only.next().source());
        UserError e = assertThrows(UserError.class, () -> new ArithBank("builtin:arith?families=div", 0, 5));
        assertTrue(e.getMessage().contains("unknown family 'div'"), e.getMessage());
    }

    @Test
    void jsonlBankReadsFieldsAndSplitsOffAHeldOutSet() throws Exception {
        Path f = tmp.resolve("bank.jsonl");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            s.append("{\"prompt\": \"").append(i).append("+1=\", \"answer\": ").append(i + 1)
                    .append(", \"source\": \"inc\", \"params\": {\"n\": ").append(i).append("}}\n\n");
        }
        Files.writeString(f, s);
        ProblemBank bank = Banks.open(f.toString(), 0, 3);
        assertEquals(3, bank.heldout().size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            Problem p = bank.next();
            assertEquals(Integer.toString(Integer.parseInt(p.prompt().split("\\+")[0]) + 1), p.answer());
            seen.add(p.prompt());
        }
        assertEquals(7, seen.size()); // one pass visits every training problem once
        for (Problem h : bank.heldout()) {
            assertTrue(!seen.contains(h.prompt()), "held-out problem " + h.prompt() + " was streamed");
        }
        assertEquals("inc{n=" + bank.heldout().get(0).params().get("n") + "}", bank.heldout().get(0).bucket());
    }

    @Test
    void badJsonlLinesFailWithFileLineAndWhatWasExpected() throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\"}\n");
        UserError e = assertThrows(UserError.class, () -> Banks.open(f.toString(), 0, 0));
        assertEquals("file " + f + " line 2: missing field \"answer\"", e.getMessage());
        Files.writeString(f, "{\"prompt\": \"1+1=\", \"answer\": \"2\", \"params\": {\"d\": \"one\"}}\n");
        e = assertThrows(UserError.class, () -> Banks.open(f.toString(), 0, 0));
        assertEquals("file " + f + " line 1: params.d must be a number", e.getMessage());
        Files.writeString(f, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n[1]\n");
        e = assertThrows(UserError.class, () -> Banks.open(f.toString(), 0, 0));
        assertTrue(e.getMessage().startsWith("file " + f + " line 2: expected a JSON object"), e.getMessage());
        e = assertThrows(UserError.class, () -> Banks.open(tmp.resolve("two.jsonl").toString(), 0, 0));
        assertTrue(e.getMessage().endsWith("no such file"), e.getMessage());
        Files.writeString(f, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n");
        e = assertThrows(UserError.class, () -> Banks.open(f.toString(), 0, 1));
        assertTrue(e.getMessage().contains("needs more than --heldout (1)"), e.getMessage());
    }
}
