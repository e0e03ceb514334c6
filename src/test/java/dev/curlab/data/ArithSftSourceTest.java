package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** builtin:arith-sft: windows of worked examples that start at end-of-text, each example right. */
class ArithSftSourceTest {

    @Test
    void windowsAreWorkedExamplesJoinedByEndOfText() {
        DataSource src = DataSpecs.open("builtin:arith-sft", new ByteTokenizer(), 64, 1, Role.TRAIN);
        for (int w = 0; w < 50; w++) {
            Window win = src.next();
            int[] t = win.tokens();
            assertEquals(65, t.length);
            assertEquals(ByteTokenizer.END_OF_TEXT, t[0]);
            assertTrue(ArithProblems.family(win.source()) != null, win.source());
            // every complete example (between two end-of-text ids) is right
            int start = 1;
            for (int i = 1; i < t.length; i++) {
                if (t[i] == ByteTokenizer.END_OF_TEXT) {
                    byte[] b = new byte[i - start];
                    for (int j = start; j < i; j++) {
                        b[j - start] = (byte) t[j];
                    }
                    String ex = new String(b, StandardCharsets.US_ASCII);
                    int eq = ex.indexOf('=');
                    assertEquals(dev.curlab.rl.BanksTestAccess.solve(ex.substring(0, eq + 1)), ex.substring(eq + 1), ex);
                    start = i + 1;
                }
            }
        }
        assertEquals(50, src.position());
    }

    @Test
    void rolesAreDifferentStreamsAndOptionsAreRefused() {
        Window a = DataSpecs.open("builtin:arith-sft", new ByteTokenizer(), 32, 1, Role.TRAIN).next();
        Window b = DataSpecs.open("builtin:arith-sft", new ByteTokenizer(), 32, 1, Role.EVAL).next();
        assertTrue(!java.util.Arrays.equals(a.tokens(), b.tokens()));
        UserError e = assertThrows(UserError.class,
                () -> DataSpecs.open("builtin:arith-sft?x=1", new ByteTokenizer(), 32, 1, Role.TRAIN));
        assertTrue(e.getMessage().contains("expected builtin:arith-sft or builtin:arith-sft?families="), e.getMessage());
    }

    @Test
    void narrowedFamiliesOnlyDrawTheirRange() {
        DataSource src = DataSpecs.open("builtin:arith-sft?families=add:2-3,chain:4", new ByteTokenizer(), 32, 1, Role.TRAIN);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 200; i++) {
            Window w = src.next();
            seen.add(w.source() + w.difficulty());
        }
        assertEquals(java.util.Set.of("add2.0", "add3.0", "chain4.0"), seen);
        UserError wide = assertThrows(UserError.class,
                () -> DataSpecs.open("builtin:arith-sft?families=add:0-3", new ByteTokenizer(), 32, 1, Role.TRAIN));
        assertEquals("--data builtin:arith-sft?families=add:0-3: family add takes digits LO-HI within 1-6, got '0-3'", wide.getMessage());
        UserError backwards = assertThrows(UserError.class,
                () -> DataSpecs.open("builtin:arith-sft?families=chain:5-3", new ByteTokenizer(), 32, 1, Role.TRAIN));
        assertTrue(backwards.getMessage().contains("family chain takes length LO-HI within 2-6, got '5-3'"), backwards.getMessage());
    }
}
