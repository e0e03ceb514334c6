package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code band}: band filtering (OpenRLHF {@code --dynamic_filtering_reward_range lo hi}): B problems
 * taken uniformly are rolled out and only groups whose pass rate s / G lies in [{@code lo}, {@code hi}]
 * enter the update; the rest were generated for nothing and are charged all the same. With
 * {@code max-gen-batches} > 1 it backfills like {@code dapo} (OpenRLHF keeps sampling); by default one round.
 */
public final class BandCurator extends FilteringCurator {
    public static final Set<String> KEYS = Set.of("lo", "hi", "gen-batch", "max-gen-batches");

    /**
     * @param lo            lowest pass rate kept
     * @param hi            highest pass rate kept
     * @param genBatch      problems rolled out per round (default B)
     * @param maxGenBatches most rounds per step
     */
    public record Settings(double lo, double hi, int genBatch, int maxGenBatches) {
        public static Settings from(StrategySpec s, int batch) {
            s.allowOnly(KEYS);
            Settings v = new Settings(s.number("lo", 0.2, 0, 1), s.number("hi", 0.8, 0, 1), s.integer("gen-batch", batch, 1),
                    s.integer("max-gen-batches", 1, 1));
            UserError.require(v.lo() <= v.hi(), "--curator band: lo (" + v.lo() + ") must be <= hi (" + v.hi() + ")");
            return v;
        }
    }

    private final Settings cfg;

    public BandCurator(Settings cfg) {
        super("band", cfg.genBatch(), cfg.maxGenBatches());
        this.cfg = cfg;
    }

    /** Keeps a group whose pass rate s / G lies in [lo, hi]. */
    @Override
    public boolean keep(int successes, int g) {
        double rate = (double) successes / g;
        return rate >= cfg.lo() && rate <= cfg.hi();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lo", cfg.lo());
        m.put("hi", cfg.hi());
        m.put("gen-batch", cfg.genBatch());
        m.put("max-gen-batches", cfg.maxGenBatches());
        return m;
    }
}
