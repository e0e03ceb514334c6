package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dapo}: DAPO's dynamic sampling (Yu et al. 2025; verl {@code algorithm.filter_groups}). Each
 * generation round takes {@code gen-batch} problems uniformly (the first of the shuffled candidates) and
 * rolls out G of each; groups whose successes are all equal (all right or all wrong: zero variance, no
 * GRPO signal) are dropped; rounds continue until B groups with variance are kept or
 * {@code max-gen-batches} rounds are spent (then the step trains on fewer), and the update takes the
 * first B kept (verl's truncation to the train batch). Every generated rollout is charged, dropped or not.
 */
public final class DapoCurator implements Curator, GroupFilter {
    public static final Set<String> KEYS = Set.of("gen-batch", "max-gen-batches");

    /**
     * @param genBatch      problems rolled out per round (verl's gen_batch_size; default B)
     * @param maxGenBatches most rounds per step (verl's max_num_gen_batches)
     */
    public record Settings(int genBatch, int maxGenBatches) {
        public static Settings from(CuratorSpec s, int batch) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("gen-batch", batch, 1), s.integer("max-gen-batches", 4, 1));
        }
    }

    private final Settings cfg;

    public DapoCurator(Settings cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "dapo";
    }

    @Override
    public GroupFilter filter() {
        return this;
    }

    @Override
    public int promptsPerRound(int b) {
        return cfg.genBatch();
    }

    @Override
    public int maxRounds() {
        return cfg.maxGenBatches();
    }

    /** Keeps a group with variance: 0 < s < G. */
    @Override
    public boolean keep(int successes, int g) {
        return successes > 0 && successes < g;
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        return UniformCurator.first(b);
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gen-batch", cfg.genBatch());
        m.put("max-gen-batches", cfg.maxGenBatches());
        return m;
    }

    @Override
    public Map<String, Object> save() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Object> state) {
    }
}
