package dev.curlab.select;

import dev.curlab.util.Rng;
import java.util.Set;

/** Uniform choice among the N candidates (B distinct ones when training on a mini-batch). */
public final class RandomSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;

    public RandomSelector(long seed, int selectBatch) {
        this.rng = Rng.derive(seed, "selector/random");
        this.selectBatch = selectBatch;
    }

    @Override
    public String name() {
        return "random";
    }

    /** Reads neither the candidates' scores nor the reward: no scoring pass, no reward pass. */
    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        if (selectBatch == 1) {
            return Selection.single(rng.nextInt(batch.size()));
        }
        return Selection.batch(rng.sampleWithoutReplacement(batch.size(), selectBatch));
    }

    @Override
    public SelectorState save() {
        return SelectorState.ofRng(rng);
    }

    @Override
    public void restore(SelectorState state) {
        state.restoreRng(rng);
    }
}
