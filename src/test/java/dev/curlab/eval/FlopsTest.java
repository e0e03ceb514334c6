package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlopsTest {

    @Test
    void nonEmbeddingParamsOfGpt2SmallIsKaplans85M() {
        // 12 layers, d = 768: 12 * 12 * 768^2 = 84,934,656
        assertEquals(84_934_656L, Flops.nonEmbeddingParams(12, 768));
    }

    @Test
    void forwardPerTokenByHandForTheNanoShape() {
        // nano: 2 layers, d = 64, T = 64
        // N = 2 * 64 * 2 * (2*64 + 4*64) = 98,304; 2N = 196,608; attention 2 * 2 * 64 * 64 = 16,384
        assertEquals(98_304L, Flops.nonEmbeddingParams(2, 64));
        assertEquals(212_992.0, Flops.forwardPerToken(2, 64, 64), 0);
        // With the tied head for the byte vocabulary: + 2 * 64 * 257 = 32,896.
        assertEquals(245_888.0, Flops.forwardPerToken(2, 64, 64, 257), 0);
    }

    @Test
    void stepRecipeByHand() {
        double f = 212_992;          // nano, T = 64
        // N = 16 candidates scored, 1 trained, M = 16 held-out windows, absolute reward
        Flops.Breakdown b = Flops.step(f, 64, 16, 1, 16, false, f, 0, 0);
        assertEquals(218_103_808.0, b.scoring(), 0);     // 16 * 64 * 212,992
        assertEquals(40_894_464.0, b.update(), 0);       // 3 * 1 * 64 * 212,992
        assertEquals(218_103_808.0, b.reward(), 0);      // 16 * 64 * 212,992
        assertEquals(0.0, b.il(), 0);
        assertEquals(477_102_080.0, b.total(), 0);

        // paired-delta: the reward subset is scored before and after the update
        assertEquals(436_207_616.0, Flops.step(f, 64, 16, 1, 16, true, f, 0, 0).reward(), 0);

        // soft mixture trains on all 16 candidates: 16 x the update
        assertEquals(654_311_424.0, Flops.step(f, 64, 16, 16, 16, false, f, 0, 0).update(), 0);

        // an IL model: 64 tokens scored (1x) and 128 trained (3x)
        assertEquals(64 * f + 3 * 128 * f, Flops.step(f, 64, 16, 1, 16, false, f, 64, 128).il(), 0);
        assertEquals(95_420_416.0, Flops.step(f, 64, 16, 1, 16, false, f, 64, 128).il(), 0);
    }

    @Test
    void evaluationPass() {
        // 128 eval windows of 64 tokens
        assertEquals(128 * 64 * 212_992.0, Flops.evaluation(212_992, 64, 128), 0);
    }
}
