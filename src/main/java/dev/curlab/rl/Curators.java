package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.util.Set;

/**
 * The curators by name. A {@code --curator} value may carry settings, {@code NAME?key=value&...}
 * ({@link CuratorSpec}); each curator's settings and defaults are printed at the start of a run.
 */
public final class Curators {
    public static final String NAMES = "uniform, learnability, difficulty-oracle, alp-gmm, bandit-adv, curator, soft-q";

    private Curators() {
    }

    /**
     * Checks a {@code --curator} value (its name and every setting) without building the curator, so
     * that {@code rl-compare} refuses a bad one before any cell runs. Curators without settings
     * refuse any key; a name in {@link #NAMES} without a case here is accepted (checked when created).
     */
    public static void check(String value) {
        CuratorSpec spec = new CuratorSpec(value);
        switch (spec.name()) {
            case "uniform", "learnability", "soft-q", "difficulty-oracle", "oracle" -> spec.allowOnly(Set.of());
            case "alp-gmm" -> AlpGmmCurator.Settings.from(spec);
            case "bandit-adv" -> BanditAdvCurator.Settings.from(spec);
            case "curator" -> NeuralCurator.Settings.from(spec);
            default -> {
                if (!java.util.Arrays.asList(NAMES.split(",\\s*")).contains(spec.name())) {
                    throw new UserError("--curator must be one of " + NAMES + ", got '" + value + "'");
                }
            }
        }
    }

    public static Curator create(RlConfig cfg, ProblemBank bank, Curator.Probe probe, Curator.PromptStates states) {
        check(cfg.curator());
        CuratorSpec spec = new CuratorSpec(cfg.curator());
        return switch (spec.name()) {
            case "uniform" -> new UniformCurator();
            case "learnability" -> new LearnabilityCurator();
            case "soft-q" -> new SoftQCurator(cfg, probe);
            case "difficulty-oracle", "oracle" -> {
                if (!(bank instanceof ArithBank a)) {
                    throw new UserError("--curator difficulty-oracle reads the generator's labels and needs --tasks builtin:arith, got " + cfg.tasks());
                }
                yield new OracleCurator(a, probe, cfg.seed(), cfg.probeEvery(), cfg.probeProblems(), cfg.probeRollouts());
            }
            case "alp-gmm" -> new AlpGmmCurator(AlpGmmCurator.Settings.from(spec), bank, cfg.seed());
            case "bandit-adv" -> new BanditAdvCurator(BanditAdvCurator.Settings.from(spec));
            case "curator" -> new NeuralCurator(NeuralCurator.Settings.from(spec), states, cfg.seed());
            default -> throw new UserError("--curator must be one of " + NAMES + ", got '" + cfg.curator() + "'");
        };
    }
}
