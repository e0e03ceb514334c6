package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.List;
import java.util.Map;

/**
 * The shape {@code dapo} and {@code band} share: a stateless curator whose picks are uniform (the first
 * of the shuffled candidates) and whose work is its {@link GroupFilter}, {@code genBatch} problems per
 * generation round for at most {@code maxGenBatches} rounds. A subclass says which groups it keeps.
 */
abstract class FilteringCurator implements Curator, GroupFilter {
    private final String name;
    private final int genBatch;
    private final int maxGenBatches;

    protected FilteringCurator(String name, int genBatch, int maxGenBatches) {
        this.name = name;
        this.genBatch = genBatch;
        this.maxGenBatches = maxGenBatches;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final GroupFilter filter() {
        return this;
    }

    @Override
    public final int promptsPerRound(int b) {
        return genBatch;
    }

    @Override
    public final int maxRounds() {
        return maxGenBatches;
    }

    @Override
    public final int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        return UniformCurator.first(b);
    }

    @Override
    public final void observe(List<Problem> picked, int[] successes, int g) {
    }

    @Override
    public final Map<String, Object> save() {
        return Map.of();
    }

    @Override
    public final void restore(Map<String, Object> state) {
    }
}
