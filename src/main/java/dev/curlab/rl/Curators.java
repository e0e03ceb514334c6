package dev.curlab.rl;

import dev.curlab.util.Registry;
import dev.curlab.util.StrategySpec;
import dev.curlab.util.UserError;
import java.util.List;
import java.util.Set;

/**
 * The curators by name, in a {@link Registry} like the selectors'. A {@code --curator} value may carry
 * settings, {@code NAME?key=value&...} ({@link StrategySpec}); each entry parses and validates its settings and
 * prints them with their defaults at the start of a run.
 */
public final class Curators {
    /** The names for --help (a compile-time constant; {@code CuratorsTest} checks it lists the registry). */
    public static final String NAMES = "uniform, dapo, band, learnability, learnability-history, mopps, greso, difficulty-oracle, "
            + "alp-gmm, bandit-adv, curator, soft-q";
    /** How --curator names a served curator ({@code curlab serve}). */
    public static final String REMOTE = "remote:http://HOST:PORT";

    /** What a curator's factory reads: the run's settings, the bank and the policy's views. */
    public record Context(RlConfig cfg, ProblemBank bank, Curator.Probe probe, Curator.PromptStates states) {
    }

    private static final Registry<Context, Curator> REGISTRY = new Registry<>("--curator", "curator", List.of(
            Registry.entry("uniform", "the first B of the random candidates", c -> new UniformCurator()),
            Registry.entry("dapo", "DAPO's dynamic sampling: drop zero-variance groups, backfill to B (verl filter_groups)",
                    DapoCurator.Settings::from, (c, st) -> {
                        requireDrawable(st.genBatch(), c);
                        return new DapoCurator(st);
                    }),
            Registry.entry("band", "keep groups whose pass rate lies in [lo, hi] (OpenRLHF dynamic filtering)",
                    BandCurator.Settings::from, (c, st) -> {
                        requireDrawable(st.genBatch(), c);
                        return new BandCurator(st);
                    }),
            Registry.entry("learnability", "LILO: probe rollouts per candidate, top p(1-p) (Foster and Foerster 2025)",
                    (s, b) -> LearnabilityCurator.Settings.from(s), (c, st) -> new LearnabilityCurator(st, c.probe())),
            Registry.entry("learnability-history", "p(1-p) per bucket from decayed success counts, no probes",
                    c -> new LearnabilityHistoryCurator()),
            Registry.entry("mopps", "per-problem Beta posterior, Thompson-sampled toward a target success rate (MoPPS)",
                    (s, b) -> MoppsCurator.Settings.from(s), (c, st) -> new MoppsCurator(st)),
            Registry.entry("greso", "skip problems whose history predicts a zero-variance group (GRESO)",
                    (s, b) -> GresoCurator.Settings.from(s), (c, st) -> new GresoCurator(st)),
            Registry.entry("difficulty-oracle", "CEILING: probes success per generator bucket, picks nearest 0.5 (builtin banks)",
                    Curators::oracle),
            Registry.entry("alp-gmm", "Gaussian mixture over task parameters and learning progress (Portelas et al. 2019)",
                    (s, b) -> AlpGmmCurator.Settings.from(s), (c, st) -> new AlpGmmCurator(st, c.bank(), c.cfg().seed())),
            Registry.entry("bandit-adv", "UCB bandit over categories rewarded by mean |advantage|",
                    (s, b) -> BanditAdvCurator.Settings.from(s), (c, st) -> new BanditAdvCurator(st)),
            Registry.entry("curator", "a network over prompt hidden states, online mirror descent (after ACTOR-CURATOR)",
                    (s, b) -> NeuralCurator.Settings.from(s), (c, st) -> new NeuralCurator(st, c.states(), c.probe(), c.cfg().seed())),
            Registry.entry("soft-q", "soft Q-learning over problems on the selectors' soft-Q core (fixed settings)",
                    c -> new SoftQCurator(c.cfg(), c.probe()))));

    private Curators() {
    }

    /**
     * Checks a {@code --curator} value before anything runs: a known name, and settings that curator takes
     * (an unknown or repeated key is a one-line error). {@code batch} is B, which the filters' settings read.
     */
    public static void check(String value, int batch) {
        if (value.startsWith("remote:")) {
            return;                                                                // the service checks its own
        }
        REGISTRY.check(spec(value), batch);
    }

    public static Curator create(RlConfig cfg, ProblemBank bank, Curator.Probe probe, Curator.PromptStates states) {
        if (cfg.curator().startsWith("remote:")) {
            return new RemoteCurator(cfg.curator(), cfg);
        }
        return REGISTRY.create(spec(cfg.curator()), cfg.batch(), new Context(cfg, bank, probe, states));
    }

    /** A {@code --curator} value parsed; "oracle" is the difficulty oracle's short name. */
    public static StrategySpec spec(String value) {
        StrategySpec spec = REGISTRY.spec(value);
        return spec.name().equals("oracle") ? REGISTRY.spec("difficulty-oracle" + value.substring("oracle".length())) : spec;
    }

    /** The registered names, in order. */
    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** "name  description" lines for --help. */
    public static String describe() {
        return REGISTRY.describe();
    }

    /** A filter's problems per round must be drawable from the N candidates of a round. */
    private static void requireDrawable(int genBatch, Context c) {
        UserError.require(genBatch <= c.cfg().candidates(), "--curator " + c.cfg().curator() + ": gen-batch (" + genBatch
                + ") must be <= --candidates (" + c.cfg().candidates() + ")");
    }

    private static Curator oracle(Context c) {
        if (!(c.bank() instanceof ArithBank a)) {
            throw new UserError("--curator difficulty-oracle reads the generator's labels and needs --tasks builtin:arith, got " + c.cfg().tasks());
        }
        RlConfig cfg = c.cfg();
        return new OracleCurator(a, c.probe(), cfg.seed(), cfg.probeEvery(), cfg.probeProblems(), cfg.probeRollouts());
    }

    /** The curators a service can run: those that read neither the policy's rollouts nor its hidden states. */
    public static final String SERVABLE = "uniform, learnability-history, mopps, greso, alp-gmm, bandit-adv";

    /** A curator for {@code curlab serve}: {@code spec} over {@code bank}'s problems at {@code seed}, without a policy to probe. */
    public static Curator served(String spec, ProblemBank bank, long seed) {
        String name = spec(spec).name();
        if (!java.util.List.of(SERVABLE.split(", ")).contains(name)) {
            throw new UserError("--curator " + spec + ": a served curator must be one of " + SERVABLE
                    + " (the others probe the policy, which the service cannot see)");
        }
        RlConfig cfg = RlConfig.builder().curator(spec).seed(seed).build();
        return create(cfg, bank, null, null);
    }
}
