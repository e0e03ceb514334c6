package dev.curlab.rl;

import java.util.List;

/**
 * The forward passes of batched generation: one call per generated token gives the logits at each
 * active row's next position. Rows only ever leave the active set (a finished row never returns).
 */
interface Decoder extends AutoCloseable {

    /**
     * Logits (V) for each row of {@code active} (ascending row indices), in that order. {@code seq[i]}
     * holds row i's prompt then its tokens so far, {@code length[i]} of them.
     */
    float[][] next(List<Integer> active, int[][] seq, int[] length);

    /** Token positions the forward passes computed so far (for the FLOP count). */
    long forwardTokens();

    @Override
    void close();
}
