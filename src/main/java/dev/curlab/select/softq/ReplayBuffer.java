package dev.curlab.select.softq;

import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent transitions (x, r, X'): the features of the action taken, its reward (after
 * --reward-norm) and the features of the next step's N candidates, whose soft value is recomputed
 * from the current target network whenever the transition is replayed. Q-learning is off-policy, so
 * replaying recent transitions is sound; X' is left out (null) when gamma = 0 needs no bootstrap.
 * Capacity 1 is the paper: each transition is learned from once, at the step after it was taken.
 */
final class ReplayBuffer {
    /**
     * One transition; {@code next} is (N * F) or null; {@code nextPrior} is the prior's logits of the
     * next candidates (N) when --q-prior is on and gamma > 0, else null.
     */
    record Transition(float[] x, double r, float[] next, float[] nextPrior) {
        Transition(float[] x, double r, float[] next) {
            this(x, r, next, null);
        }
    }

    private final int capacity;
    private final List<Transition> ring = new ArrayList<>();
    private int head; // index of the oldest entry once full

    ReplayBuffer(int capacity) {
        this.capacity = capacity;
    }

    void add(Transition t) {
        if (ring.size() < capacity) {
            ring.add(t);
        } else {
            ring.set(head, t);
            head = (head + 1) % capacity;
        }
    }

    int size() {
        return ring.size();
    }

    /** The newest transition first, then {@code k - 1} drawn uniformly with replacement. */
    List<Transition> sample(int k, Rng rng) {
        List<Transition> out = new ArrayList<>(k);
        out.add(get(size() - 1));
        for (int i = 1; i < k; i++) {
            out.add(get(rng.nextInt(size())));
        }
        return out;
    }

    /** The i-th transition, oldest first. */
    Transition get(int i) {
        return ring.get((head + i) % ring.size());
    }

    /** Oldest first, for checkpoints. */
    List<Transition> inOrder() {
        List<Transition> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(get(i));
        }
        return out;
    }

    void clear() {
        ring.clear();
        head = 0;
    }
}
