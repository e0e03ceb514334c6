package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.List;
import java.util.Map;

/** {@code uniform}: the first B of the N candidates (they are drawn at random already). */
public final class UniformCurator implements Curator {

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        return first(b);
    }

    /** 0, 1, ..., b - 1. */
    static int[] first(int b) {
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = i;
        }
        return out;
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
    }

    @Override
    public Map<String, Object> save() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Object> state) {
    }
}
