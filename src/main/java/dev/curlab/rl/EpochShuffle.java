package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.List;

/**
 * A fixed pool of problems streamed in a fresh seeded order each pass (epoch), as a finite bank's
 * training stream is: every problem once per epoch, {@link #position()} counting over all epochs, so a
 * resume replays the stream to its checkpointed position.
 */
final class EpochShuffle {
    private final List<Problem> pool;
    private final Rng order;
    private int[] perm;
    private long position;

    EpochShuffle(List<Problem> pool, Rng order) {
        this.pool = pool;
        this.order = order;
    }

    Problem next() {
        int i = (int) (position % pool.size());
        if (i == 0) {
            perm = order.sampleWithoutReplacement(pool.size(), pool.size()); // a fresh order each epoch
        }
        position++;
        return pool.get(perm[i]);
    }

    long position() {
        return position;
    }
}
