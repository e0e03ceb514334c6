package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import java.util.LinkedHashMap;
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
public final class DapoCurator extends FilteringCurator {
    public static final Set<String> KEYS = Set.of("gen-batch", "max-gen-batches");

    /**
     * @param genBatch      problems rolled out per round (verl's gen_batch_size; default B)
     * @param maxGenBatches most rounds per step (verl's max_num_gen_batches)
     */
    public record Settings(int genBatch, int maxGenBatches) {
        public static Settings from(StrategySpec s, int batch) {
            s.allowOnly(KEYS);
            return new Settings(s.integer("gen-batch", batch, 1), s.integer("max-gen-batches", 4, 1));
        }
    }

    private final Settings cfg;

    public DapoCurator(Settings cfg) {
        super("dapo", cfg.genBatch(), cfg.maxGenBatches());
        this.cfg = cfg;
    }

    /** Keeps a group with variance: 0 < s < G. */
    @Override
    public boolean keep(int successes, int g) {
        return successes > 0 && successes < g;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gen-batch", cfg.genBatch());
        m.put("max-gen-batches", cfg.maxGenBatches());
        return m;
    }
}
