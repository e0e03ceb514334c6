package dev.curlab.rl;

import dev.curlab.util.UserError;

/** The curators by name. */
public final class Curators {
    public static final String NAMES = "uniform, learnability, difficulty-oracle, soft-q";

    private Curators() {
    }

    public static Curator create(RlConfig cfg, ProblemBank bank, Curator.Probe probe) {
        return switch (cfg.curator()) {
            case "uniform" -> new UniformCurator();
            case "learnability" -> new LearnabilityCurator();
            case "soft-q" -> new SoftQCurator(cfg, probe);
            case "difficulty-oracle", "oracle" -> {
                if (!(bank instanceof ArithBank a)) {
                    throw new UserError("--curator difficulty-oracle reads the generator's labels and needs --tasks builtin:arith, got " + cfg.tasks());
                }
                yield new OracleCurator(a, probe, cfg.seed(), cfg.probeEvery(), cfg.probeProblems(), cfg.probeRollouts());
            }
            default -> throw new UserError("--curator must be one of " + NAMES + ", got '" + cfg.curator() + "'");
        };
    }
}
