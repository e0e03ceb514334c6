package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held-out and training problems are disjoint by content (normalised prompt), for builtin and user banks. */
class HeldoutDisjointTest {
    /** RESULTS R's RL arena (RlPreset.R_BANK). */
    static final String ARENA = "builtin:arith?families=add:1-3,mul:1,chain:2-4";

    @TempDir
    Path tmp;

    @Test
    void keysCollapseWhitespaceAndKeepCase() {
        assertEquals("Q: 2 + 2 =", Problem.key("  Q:\t2  +\n2 =  "));
        assertEquals(Problem.key("a b"), Problem.key("a  b"));
        assertTrue(!Problem.key("Q: x").equals(Problem.key("q: x")));
    }

    /** How many of {@code bank}'s held-out prompts occur among its first {@code k} training draws. */
    static int leaked(ProblemBank bank, int k) {
        Set<String> held = new HashSet<>();
        bank.heldout().forEach(p -> held.add(p.key()));
        Set<String> hit = new HashSet<>();
        for (int i = 0; i < k; i++) {
            String key = bank.next().key();
            if (held.contains(key)) {
                hit.add(key);
            }
        }
        return hit.size();
    }

    @Test
    void builtinTrainingDrawsNeverMeetTheHeldOutSet() {
        // 60 steps x N = 64 candidates of the demo's arena: 103 of 200 held-out prompts leaked before the fix
        ArithBank bank = new ArithBank(ARENA, 0, 200);
        assertEquals(0, leaked(bank, 60 * 64));
        assertEquals(200, ArithBank.keys(bank.heldout()).size(), "held-out prompts are distinct");
        assertTrue(bank.rejected() > 0, "some draws had to be redrawn, so the rule was exercised");
        System.out.printf("arena rejection rate: %d of %d draws (%.2f%%)%n", bank.rejected(), bank.rejected() + 3840,
                100.0 * bank.rejected() / (bank.rejected() + 3840));
        ArithBank all = new ArithBank("builtin:arith", 3, 200);
        assertEquals(0, leaked(all, 5000));
    }

    @Test
    void aBankThatCannotAvoidItsHeldOutSetFailsWhenOpened() {
        // one-digit sums: 100 prompts; 100 held out leave none for training
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.curlab.util.UserError.class,
                () -> new ArithBank("builtin:arith?families=add:1", 0, 100));
        assertTrue(e.getMessage().contains("were all held-out problems"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.curlab.util.UserError.class,
                () -> new ArithBank("builtin:arith?families=add:1", 0, 101));
        assertEquals("--heldout 101: builtin:arith?families=add:1 gave only 100 distinct problems in 100000 draws;"
                + " ask for fewer held-out problems or widen the families", e.getMessage());
    }

    @Test
    void userBankDuplicatesAreDroppedSoNoneIsBothTrainedAndHeldOut() throws Exception {
        Path f = tmp.resolve("dups.jsonl");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            int n = i % 10;                               // each prompt three times, spaced differently
            s.append("{\"prompt\": \"").append(" ".repeat(i / 10)).append(n).append(" +  1=\", \"answer\": \"").append(n + 1).append("\"}\n");
        }
        Files.writeString(f, s);
        ProblemBank bank = Banks.open(f.toString(), 0, 4);
        assertEquals(0, leaked(bank, 60));
        assertEquals(4, bank.heldout().size());
        Set<String> train = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            train.add(bank.next().key());
        }
        assertEquals(6, train.size(), "one pass is the 6 distinct training problems");
        assertTrue(bank.describe().contains("6 training and 4 held-out problems") && bank.describe().contains("20 duplicate prompts dropped"),
                bank.describe());
        assertEquals(List.of("0 + 1=", "1 + 1="), List.of(Problem.key(" 0 +  1="), Problem.key("1 +  1= ")));
    }
}
