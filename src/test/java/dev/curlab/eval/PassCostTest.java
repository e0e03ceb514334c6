package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tokens of a pass and their FLOPs, by hand on a toy shape. */
class PassCostTest {
    // 2 layers, d = 8, context 4, vocab 10:
    //   N = 2 · 8 · 2 · (2 · 8 + 4 · 8) = 1536;  C_forward = 2 · 1536 + 2 · 2 · 4 · 8 = 3200 (blocks)
    //   head = 2 · 8 · 10 = 160;  per token with the head = 3360
    private static final PassCost TOY = PassCost.of(2, 8, 4, 10);

    @Test
    void perTokenCounts() {
        assertEquals(3360, TOY.perToken(), 0);
        assertEquals(160, TOY.headPerToken(), 0);
    }

    @Test
    void aPassOverNWindowsOfPPredictions() {
        assertEquals(15, PassCost.tokens(3, 5));                  // N x P
        assertEquals(24, PassCost.gramTokens(3, 5));              // 3 x (5 + 3)
        assertEquals(15 * 3360, TOY.forward(15), 0);              // 50,400
        assertEquals(3 * 15 * 3360, TOY.train(15), 0);            // forward and backward: 151,200
        assertEquals(15 * 3200, TOY.trunk(15), 0);                // the blocks alone: 48,000
        assertEquals(15 * 160, TOY.head(15), 0);                  // the head alone: 2,400
        assertEquals(TOY.forward(15), TOY.trunk(15) + TOY.head(15), 0);
    }
}
