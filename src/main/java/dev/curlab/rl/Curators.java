package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * The curators by name. A {@code --curator} value may carry settings, {@code NAME?key=value&...}
 * ({@link CuratorSpec}); each curator's settings and defaults are printed at the start of a run.
 */
public final class Curators {
    public static final String NAMES = "uniform, dapo, band, learnability, learnability-history, mopps, greso, difficulty-oracle, "
            + "alp-gmm, bandit-adv, curator, soft-q";

    private Curators() {
    }

    public static Curator create(RlConfig cfg, ProblemBank bank, Curator.Probe probe, Curator.PromptStates states) {
        CuratorSpec spec = new CuratorSpec(cfg.curator());
        return switch (spec.name()) {
            case "uniform" -> new UniformCurator();
            case "learnability" -> new LearnabilityCurator(LearnabilityCurator.Settings.from(spec), probe);
            case "learnability-history" -> {
                spec.allowOnly(java.util.Set.of());
                yield new LearnabilityHistoryCurator();
            }
            case "mopps" -> new MoppsCurator(MoppsCurator.Settings.from(spec));
            case "greso" -> new GresoCurator(GresoCurator.Settings.from(spec));
            case "dapo" -> {
                DapoCurator.Settings st = DapoCurator.Settings.from(spec, cfg.batch());
                requireDrawable(st.genBatch(), cfg);
                yield new DapoCurator(st);
            }
            case "band" -> {
                BandCurator.Settings st = BandCurator.Settings.from(spec, cfg.batch());
                requireDrawable(st.genBatch(), cfg);
                yield new BandCurator(st);
            }
            case "soft-q" -> new SoftQCurator(cfg, probe);
            case "difficulty-oracle", "oracle" -> {
                if (!(bank instanceof ArithBank a)) {
                    throw new UserError("--curator difficulty-oracle reads the generator's labels and needs --tasks builtin:arith, got " + cfg.tasks());
                }
                yield new OracleCurator(a, probe, cfg.seed(), cfg.probeEvery(), cfg.probeProblems(), cfg.probeRollouts());
            }
            case "alp-gmm" -> new AlpGmmCurator(AlpGmmCurator.Settings.from(spec), bank, cfg.seed());
            case "bandit-adv" -> new BanditAdvCurator(BanditAdvCurator.Settings.from(spec));
            case "curator" -> new NeuralCurator(NeuralCurator.Settings.from(spec), states, probe, cfg.seed());
            default -> throw new UserError("--curator must be one of " + NAMES + ", got '" + cfg.curator() + "'");
        };
    }

    /** A filter's problems per round must be drawable from the N candidates of a round. */
    private static void requireDrawable(int genBatch, RlConfig cfg) {
        UserError.require(genBatch <= cfg.candidates(), "--curator " + cfg.curator() + ": gen-batch (" + genBatch
                + ") must be <= --candidates (" + cfg.candidates() + ")");
    }
}
