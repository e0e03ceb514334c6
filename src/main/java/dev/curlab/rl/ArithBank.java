package dev.curlab.rl;

import dev.curlab.data.ArithProblems;
import dev.curlab.data.Tokenizer;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code builtin:arith[?families=add,mul,chain,rev]} (a family's parameter range may be narrowed,
 * {@code add:1-3}): an endless seeded stream of fresh
 * {@link ArithProblems} (family drawn uniformly, then its parameter), each with its family as source
 * and its parameter recorded ({@code digits} or {@code length}). The held-out set is drawn the same
 * way from a generator of its own with a fixed seed (the same set for every run), distinct by content
 * ({@link Problem#key}); the training stream redraws any problem whose prompt is in the held-out set,
 * so the two are disjoint by content, not only by object (small buckets repeat: one-digit sums have
 * 100 prompts). With a held-out bank of the user's ({@code --heldout-tasks}) the stream rejects its
 * prompts instead.
 */
public final class ArithBank implements ProblemBank {
    public static final String NAME = "builtin:arith";
    /** The held-out set's seed: fixed, whatever the run's seed. */
    public static final long HELDOUT_SEED = 0;
    /** Draws after which a bank gives up finding a prompt outside the held-out set (or a new held-out prompt). */
    static final int MAX_DRAWS = 100_000;
    private final String spec;
    private final List<ArithProblems.Family> families;
    private final long seed;
    private final Rng rng;
    private final List<Problem> heldout;
    private final Set<String> heldoutKeys;
    private long position;
    private long rejected;

    /** A bank whose held-out set is {@code heldoutSize} distinct problems of its own generator. */
    public ArithBank(String spec, long seed, int heldoutSize) {
        this(spec, seed, drawHeldout(spec, parseFamilies(spec), heldoutSize));
    }

    /** A bank whose held-out set is {@code heldout} (a user's held-out bank, or {@link #drawHeldout}'s). */
    ArithBank(String spec, long seed, List<Problem> heldout) {
        this.spec = spec;
        this.families = parseFamilies(spec);
        this.seed = seed;
        this.rng = Rng.derive(seed, "rl/arith/train");
        this.heldout = List.copyOf(heldout);
        this.heldoutKeys = keys(heldout);
        drawOutside(Rng.derive(seed, "rl/arith/train"), families, heldoutKeys, spec, new long[1]); // fails now, not at step 1
    }

    /** {@code size} problems with distinct prompts, from a generator seeded {@link #HELDOUT_SEED}: the same set for every run seed, so runs compare. */
    static List<Problem> drawHeldout(String spec, List<ArithProblems.Family> families, int size) {
        Rng h = Rng.derive(HELDOUT_SEED, "rl/arith/heldout");
        Set<String> seen = new HashSet<>();
        List<Problem> held = new ArrayList<>(size);
        for (int draws = 0; held.size() < size; draws++) {
            if (draws >= MAX_DRAWS) {
                throw new UserError("--heldout " + size + ": " + spec + " gave only " + held.size() + " distinct problems in "
                        + MAX_DRAWS + " draws; ask for fewer held-out problems or widen the families");
            }
            Problem p = toProblem(held.size(), ArithProblems.draw(h, families));
            if (seen.add(p.key())) {
                held.add(p);
            }
        }
        return held;
    }

    static Set<String> keys(List<Problem> problems) {
        Set<String> out = new HashSet<>();
        for (Problem p : problems) {
            out.add(p.key());
        }
        return out;
    }

    /** A generated problem whose prompt is not in {@code excluded} (redrawn until it is not; {@code rejected[0]} counts redraws). */
    static ArithProblems.Generated drawOutside(Rng rng, List<ArithProblems.Family> families, Set<String> excluded, String spec,
            long[] rejected) {
        for (int draws = 0; draws < MAX_DRAWS; draws++) {
            ArithProblems.Generated g = ArithProblems.draw(rng, families);
            if (!excluded.contains(Problem.key(g.prompt()))) {
                return g;
            }
            rejected[0]++;
        }
        throw new UserError("--tasks " + spec + ": " + MAX_DRAWS + " draws in a row were all held-out problems; ask for fewer"
                + " held-out problems or widen the families");
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
        return taskParams(families, spec, p);
    }

    static double[] taskParams(List<ArithProblems.Family> families, String spec, Problem p) {
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

    /** Checks the held-out set and the longest problem of each family (at its largest parameter). */
    @Override
    public void checkFits(Tokenizer tokenizer, int context) {
        Rng probe = Rng.derive(0, "rl/arith/fits");
        for (ArithProblems.Family f : families) {
            for (int i = 0; i < 8; i++) {
                checkFits(tokenizer, context, "--tasks " + spec + " (" + f.name() + " at " + f.param() + " " + f.max() + ")",
                        ArithProblems.generate(probe, f, f.max()).prompt());
            }
        }
        for (Problem p : heldout) {
            checkFits(tokenizer, context, "held-out problem '" + p.prompt() + "'", p.prompt());
        }
    }

    private static void checkFits(Tokenizer tokenizer, int context, String where, String prompt) {
        String refusal = ProblemBank.tooLong(where, tokenizer.encode(prompt).length, context);
        if (refusal != null) {
            throw new UserError(refusal);
        }
    }

    @Override
    public Problem next() {
        long[] r = {0};
        ArithProblems.Generated g = drawOutside(rng, families, heldoutKeys, spec, r);
        rejected += r[0];
        return toProblem(position++, g);
    }

    /** Draws rejected so far because their prompt was a held-out one (since this bank was opened). */
    public long rejected() {
        return rejected;
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
