package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Answer extraction on hand-written completions, and acc on top of it. */
class AnswerFormatTest {
    @Test
    void lastNumberTakesTheLastOneWithCommasStripped() {
        assertEquals("12", AnswerFormat.lastNumber("3 apples and 9 pears, so the answer is 12."));
        assertEquals("-4.5", AnswerFormat.lastNumber("x = 2, y = -4.5"));
        assertEquals("1234567", AnswerFormat.lastNumber("she paid $1,234,567 in all"));
        assertNull(AnswerFormat.lastNumber("no digits here"));
    }

    @Test
    void gsm8kTakesTheLineAfterTheLastHashes() {
        assertEquals("72", AnswerFormat.afterHashes("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72"));
        assertEquals("1000", AnswerFormat.afterHashes("#### 5\nwait, recount\n#### 1,000\nthe end"));
        assertEquals("", AnswerFormat.afterHashes("so ####"));
        assertNull(AnswerFormat.afterHashes("The answer is 72"));
    }

    @Test
    void boxedTakesTheLastBoxWithNestedBraces() {
        assertEquals("\\frac{1}{2}", AnswerFormat.lastBoxed("first \\boxed{3}, then $\\boxed{\\frac{1}{2}}$."));
        assertEquals("{a}", AnswerFormat.lastBoxed("\\boxed{{a}}"));
        assertEquals("3", AnswerFormat.lastBoxed("\\boxed{3} and an unclosed \\boxed{4"));  // the last closed box
        assertNull(AnswerFormat.lastBoxed("\\boxed{unclosed"));
        assertNull(AnswerFormat.lastBoxed("42"));
    }

    @Test
    void accIsOneExactlyWhenTheExtractedAnswerMatches() {
        Verifier lastNumber = new Verifier("exact", 0, AnswerFormat.LAST_NUMBER);
        assertEquals(1, lastNumber.acc(" 3+9 is 12", "12"));
        assertEquals(0, lastNumber.acc(" 12 is not 3+8", "11"));     // the first number would be wrong to take... and the last is 8
        assertEquals(0, lastNumber.acc("no idea", "12"));
        Verifier gsm = new Verifier("numeric", 0, AnswerFormat.GSM8K);
        assertEquals(1, gsm.acc("She has 70 + 2\n#### 72.0", "72"));
        assertEquals(0, gsm.acc("72", "72"));                        // no ####: nothing extracted
        Verifier boxed = new Verifier("exact", 0, AnswerFormat.BOXED);
        assertEquals(1, boxed.acc("so $x = \\boxed{ \\frac{1}{2} }$", "\\frac{1}{2}"));
        Verifier exact = new Verifier("exact", 0);
        assertEquals(0, exact.acc(" 3+9 is 12", "12"));
        assertEquals(1, exact.acc(" 12 ", "12"));
        UserError e = Assertions.assertThrows(UserError.class, () -> AnswerFormat.of("json", "--answer-format"));
        assertEquals("--answer-format must be exact, last-number, gsm8k or boxed, got 'json'", e.getMessage());
        e = Assertions.assertThrows(UserError.class, () -> RlConfig.builder().answerFormat("last").build());
        assertEquals("--answer-format must be exact, last-number, gsm8k or boxed, got 'last'", e.getMessage());
    }

    @Test
    void successesCountAccAndAdvantagesUseTheReward() {
        double[][] acc = {{1, 0, 0, 1}};
        double[][] reward = {{0.5, 0.5, 0.5, 0.5}};                   // a shaped reward with no spread
        java.util.List<int[]> prompts = java.util.Collections.nCopies(4, new int[] {0, 1});
        java.util.List<int[]> completions = java.util.Collections.nCopies(4, new int[] {2});
        RlStepOutcome out = RlStepOutcome.of(acc, reward, prompts, completions);
        assertEquals(2, out.successes()[0]);
        assertEquals(0.5, out.accMean());
        assertEquals(0.5, out.rewardMean());
        assertEquals(1, out.zeroVarianceGroups());                   // variance of the reward, not of acc
        assertEquals(0, out.samples().size());
    }
}
