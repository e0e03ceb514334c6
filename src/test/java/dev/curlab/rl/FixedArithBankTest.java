package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** builtin:arith-bank: one fixed bank for every run seed, trained over shuffled epochs, disjoint from its held-out set. */
class FixedArithBankTest {
    static final String SPEC = "builtin:arith-bank?size=40&families=add:1-2,chain:2-3";

    @Test
    void theBankIsFixedDistinctRightAndItsHeldOutSetIsDisjoint() {
        FixedArithBank a = new FixedArithBank(SPEC, 1, 30);
        FixedArithBank b = new FixedArithBank(SPEC, 2, 30);
        assertEquals(a.problems(), b.problems(), "the run seed does not change the bank");
        assertEquals(a.heldout(), b.heldout());
        assertEquals(40, ArithBank.keys(a.problems()).size());
        for (int i = 0; i < 40; i++) {
            Problem p = a.problems().get(i);
            assertEquals(i, p.id());
            assertEquals(BanksTest.solve(p.prompt()), p.answer(), p.prompt());
        }
        Set<String> bank = ArithBank.keys(a.problems());
        assertEquals(30, ArithBank.keys(a.heldout()).size());
        assertTrue(a.heldout().stream().noneMatch(h -> bank.contains(h.key())), "a held-out prompt is in the bank");
        assertNotEquals(a.problems(), new FixedArithBank(SPEC + "&bank-seed=1", 1, 30).problems());
    }

    @Test
    void eachEpochVisitsEveryProblemOnceInAFreshOrderWithStableIds() {
        FixedArithBank bank = new FixedArithBank(SPEC, 5, 10);
        List<List<Long>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Problem p = bank.next();
                assertEquals(bank.problems().get((int) p.id()), p, "id is the problem's index in the bank");
                ids.add(p.id());
            }
            assertEquals(40, new HashSet<>(ids).size(), "epoch " + e + " visits every problem once");
            epochs.add(ids);
        }
        assertNotEquals(epochs.get(0), epochs.get(1));
        FixedArithBank resumed = new FixedArithBank(SPEC, 5, 10);
        resumed.skipTo(57);
        FixedArithBank whole = new FixedArithBank(SPEC, 5, 10);
        whole.skipTo(50);
        for (int i = 0; i < 7; i++) {
            whole.next();
        }
        for (int i = 0; i < 60; i++) {
            assertEquals(whole.next(), resumed.next());
        }
        assertTrue(Banks.open(SPEC, 5, 10) instanceof FixedArithBank);
    }

    @Test
    void badSpecsFailNamingTheSetting() {
        assertEquals("--tasks builtin:arith-bank?size=8&size=9: size is given twice",
                assertThrows(UserError.class, () -> new FixedArithBank("builtin:arith-bank?size=8&size=9", 0, 1)).getMessage());
        assertEquals("--tasks builtin:arith-bank?sise=8: unknown setting 'sise=8' (expected size=N, families=LIST or bank-seed=S)",
                assertThrows(UserError.class, () -> new FixedArithBank("builtin:arith-bank?sise=8", 0, 1)).getMessage());
        assertEquals("--tasks builtin:arith-bank?size=0: size must be >= 1, got 0",
                assertThrows(UserError.class, () -> new FixedArithBank("builtin:arith-bank?size=0", 0, 1)).getMessage());
        String e = assertThrows(UserError.class, () -> new FixedArithBank("builtin:arith-bank?size=101&families=add:1", 0, 1)).getMessage();
        assertTrue(e.startsWith("--tasks builtin:arith-bank?size=101&families=add:1: size=101 asks for more distinct problems"), e);
    }
}
