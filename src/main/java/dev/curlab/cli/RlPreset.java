package dev.curlab.cli;

import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named {@code curlab rl-compare} grid (docs/RESULTS.md, V), so that a curator comparison is one command:
 * the options it stands for and, unless {@code --init-from} is given, the supervised warm start it trains
 * first into OUT/warm (the demo's: worked examples of the easier families, 2,000 steps, lr 3e-3).
 *
 * @param name        what {@code --preset} takes
 * @param description one line for the help text
 * @param arguments   the rl-compare options it stands for, as on the command line
 */
record RlPreset(String name, String description, List<String> arguments) {
    /** Every curator, in the order the tables list them. */
    static final String EVERY_CURATOR = "uniform,learnability-history,alp-gmm,bandit-adv,curator,soft-q";
    /** The field's baselines beside uniform and the learned curators, in the order the tables list them (issue 27). */
    static final String FIELD_CURATORS = "uniform,dapo,learnability,learnability-history,mopps,greso,band,curator,soft-q";
    /** RESULTS R's bank: the endless generator of the demo's families (sums of 1-3 digits, one-digit products, chains of 2-4 terms). */
    static final String R_BANK = "builtin:arith?families=add:1-3,mul:1,chain:2-4";
    /** The fixed built-in bank the field's curators need (problems revisited over epochs). */
    static final String FIXED_BANK = "builtin:arith-bank?size=512&families=add:1-3,mul:1,chain:2-4";
    /** The RL settings of RESULTS R's arena, shared by the presets. */
    private static final List<String> ARENA = List.of("--curators", EVERY_CURATOR, "--seeds", "5", "--steps", "150",
            "--eval-every", "25", "--heldout", "200", "--max-new", "6", "--lr", "3e-4");

    static final Map<String, RlPreset> ALL = byName(
            new RlPreset("curators", "every curator, 5 seeds, on RESULTS R's bank (sums of 1-3 digits, one-digit products, chains of "
                    + "2-4 terms) from the demo's warm start", with(ARENA, "--tasks", R_BANK, "--target", "0.45")),
            new RlPreset("curators-chain", "every curator, 5 seeds, on a ladder of one family (chains of 2-6 terms, each length "
                    + "building on the shorter ones) from the same warm start", with(ARENA, "--tasks", "builtin:arith?families=chain:2-6")),
            new RlPreset("arena", "the field's baselines (uniform, dapo, learnability with probes and from history, mopps, greso, band) "
                    + "and the learned curator and soft-q, 10 seeds, on the fixed built-in bank (512 problems of the demo's families) revisited over epochs, from the demo's "
                    + "warm start", List.of("--curators", FIELD_CURATORS, "--seeds", "10", "--steps", "200", "--eval-every", "25",
                            "--heldout", "200", "--max-new", "6", "--lr", "3e-4", "--tasks", FIXED_BANK)));

    RlPreset {
        arguments = List.copyOf(arguments);
    }

    /** The preset called {@code name}; a one-line error naming the known ones otherwise. */
    static RlPreset named(String name) {
        RlPreset p = ALL.get(name);
        UserError.require(p != null, "--preset: unknown preset '" + name + "' (expected one of " + String.join(", ", ALL.keySet()) + ")");
        return p;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> a = new java.util.ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    private static Map<String, RlPreset> byName(RlPreset... presets) {
        Map<String, RlPreset> m = new LinkedHashMap<>();
        for (RlPreset p : presets) {
            m.put(p.name(), p);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
