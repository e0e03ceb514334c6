package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

class VerifierTest {

    @Test
    void exactMatchIgnoresSurroundingAndRepeatedWhitespace() {
        assertEquals(1, Verifier.exact("  4 1  3\t", "4 1 3"));
        assertEquals(0, Verifier.exact("413", "4 1 3"));
        assertEquals(0, Verifier.exact("12", "12.0"));
        assertEquals(1, Verifier.exact("", "  "));
    }

    @Test
    void numericMatchWithinRelativeTolerance() {
        assertEquals(1, Verifier.numeric("12.0", "12", 0));
        assertEquals(1, Verifier.numeric(" 1e3 ", "1000", 0));
        assertEquals(1, Verifier.numeric("100.4", "100", 0.005));   // |0.4| <= 0.005 * 100 = 0.5
        assertEquals(0, Verifier.numeric("100.6", "100", 0.005));   // 0.6 > 0.5
        assertEquals(1, Verifier.numeric("0.0004", "0", 0.001));    // absolute below 1: 0.0004 <= 0.001 * 1
        assertEquals(0, Verifier.numeric("twelve", "12", 0.1));
        assertEquals(0, Verifier.numeric("-12", "12", 0.1));
    }

    @Test
    void badOptionsNameTheOption() {
        UserError e = assertThrows(UserError.class, () -> new Verifier("fuzzy", 0));
        assertTrue(e.getMessage().startsWith("--verifier"), e.getMessage());
        e = assertThrows(UserError.class, () -> new Verifier("numeric", -1));
        assertTrue(e.getMessage().startsWith("--tolerance"), e.getMessage());
    }
}
