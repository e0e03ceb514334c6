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
        assertTrue(e.getMessage().contains("takes no options"), e.getMessage());
    }
}
