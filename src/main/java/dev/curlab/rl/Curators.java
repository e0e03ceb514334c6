package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * The curators by name. A {@code --curator} value may carry settings, {@code NAME?key=value&...}
 * ({@link CuratorSpec}); each curator's settings and defaults are printed at the start of a run.
 */
public final class Curators {
    public static final String NAMES = "uniform, learnability, difficulty-oracle, alp-gmm, bandit-adv, curator, soft-q";
    /** How --curator names a served curator ({@code curlab serve}). */
    public static final String REMOTE = "remote:http://HOST:PORT";

    private Curators() {
    }

    public static Curator create(RlConfig cfg, ProblemBank bank, Curator.Probe probe, Curator.PromptStates states) {
        if (cfg.curator().startsWith("remote:")) {
            return new RemoteCurator(cfg.curator(), cfg);
        }
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

    /** The curators a service can run: those that read neither the policy's rollouts nor its hidden states. */
    public static final String SERVABLE = "uniform, learnability, alp-gmm, bandit-adv";

    /** A curator for {@code curlab serve}: {@code spec} over {@code bank}'s problems at {@code seed}, without a policy to probe. */
    public static Curator served(String spec, ProblemBank bank, long seed) {
        String name = new CuratorSpec(spec).name();
        if (!java.util.List.of(SERVABLE.split(", ")).contains(name)) {
            throw new UserError("--curator " + spec + ": a served curator must be one of " + SERVABLE
                    + " (the others probe the policy, which the service cannot see)");
        }
        RlConfig d = RlConfig.defaults();
        RlConfig cfg = new RlConfig(d.tasks(), null, spec, d.model(), d.context(), d.steps(), d.candidates(), d.batch(), d.group(),
                d.temperature(), d.maxNew(), d.lr(), d.clip(), d.evalEvery(), d.heldout(), d.checkpointEvery(), seed, d.verifier(),
                d.tolerance(), d.probeEvery(), d.probeProblems(), d.probeRollouts(), d.klCoef(), d.passK(), d.passKSamples());
        return create(cfg, bank, null, null);
    }
}
