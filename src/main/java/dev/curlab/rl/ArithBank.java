package dev.curlab.rl;

import dev.curlab.data.ArithProblems;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code builtin:arith[?families=add,mul,chain,rev]} (a family's parameter range may be narrowed,
 * {@code add:1-3}): an endless seeded stream of fresh
 * {@link ArithProblems} (family drawn uniformly, then its parameter), each with its family as source
 * and its parameter recorded ({@code digits} or {@code length}). The held-out set is drawn the same
 * way from a generator of its own with a fixed seed (the same set for every run), so it never meets
 * the training stream's draws.
 */
public final class ArithBank implements ProblemBank {
    public static final String NAME = "builtin:arith";
    /** The held-out set's seed: fixed, whatever the run's seed. */
    public static final long HELDOUT_SEED = 0;
    private final String spec;
    private final List<ArithProblems.Family> families;
    private final long seed;
    private final Rng rng;
    private final List<Problem> heldout;
    private long position;

    public ArithBank(String spec, long seed, int heldoutSize) {
        this.spec = spec;
        this.families = parseFamilies(spec);
        this.seed = seed;
        this.rng = Rng.derive(seed, "rl/arith/train");
        Rng h = Rng.derive(HELDOUT_SEED, "rl/arith/heldout");  // the same set for every run seed, so runs compare
        List<Problem> held = new ArrayList<>(heldoutSize);
        for (int i = 0; i < heldoutSize; i++) {
            held.add(toProblem(i, ArithProblems.draw(h, families)));
        }
        this.heldout = List.copyOf(held);
    }

    static List<ArithProblems.Family> parseFamilies(String spec) {
        if (spec.equals(NAME)) {
            return ArithProblems.FAMILIES;
        }
        String prefix = NAME + "?families=";
        if (!spec.startsWith(prefix) || spec.length() == prefix.length()) {
            throw new UserError("--tasks " + spec + ": expected " + NAME + " or " + prefix + "add,mul,chain,rev (each optionally narrowed, add:1-3)");
        }
        return ArithProblems.parseFamilies(spec.substring(prefix.length()), "--tasks " + spec);
    }

    /** The families this bank draws from. */
    public List<ArithProblems.Family> families() {
        return families;
    }

    /** A problem of one family and parameter value (the oracle's probes), numbered {@code id}. */
    public static Problem make(Rng rng, ArithProblems.Family f, int value, long id) {
        return toProblem(id, ArithProblems.generate(rng, f, value));
    }

    private static Problem toProblem(long id, ArithProblems.Generated g) {
        return new Problem(id, g.family().name(), g.prompt(), g.answer(), Map.of(g.family().param(), (double) g.value()));
    }

    /**
     * (family, parameter) in [0, 1]^2: the family's index in this bank over (families - 1) (0 with one
     * family), its digits or length scaled to (value - min) / (max - min) of the family's range.
     */
    @Override
    public double[] taskParams(Problem p) {
        for (int i = 0; i < families.size(); i++) {
            ArithProblems.Family f = families.get(i);
            if (f.name().equals(p.source())) {
                double v = p.params().get(f.param());
                return new double[] {families.size() == 1 ? 0 : (double) i / (families.size() - 1),
                    f.max() == f.min() ? 0 : (v - f.min()) / (f.max() - f.min())};
            }
        }
        throw new IllegalArgumentException("not a problem of " + spec + ": " + p.bucket());
    }

    @Override
    public Problem next() {
        return toProblem(position++, ArithProblems.draw(rng, families));
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public List<Problem> heldout() {
        return heldout;
    }

    @Override
    public String describe() {
        return spec + " (seed " + seed + ", " + heldout.size() + " held-out problems)";
    }
}
