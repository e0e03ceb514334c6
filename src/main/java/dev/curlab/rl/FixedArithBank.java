package dev.curlab.rl;

import dev.curlab.data.ArithProblems;
import dev.curlab.data.Tokenizer;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code builtin:arith-bank?size=512[&families=add,mul:1-2,...][&bank-seed=0]}: a fixed bank of
 * {@code size} arithmetic problems with distinct prompts, drawn once from {@link ArithProblems} (family
 * uniform, then its parameter) by a generator seeded {@code bank-seed} (default 0, whatever the run's
 * seed, so every run trains on the same bank), trained over epochs: each pass over the bank is a fresh
 * permutation seeded by the run's seed, so problems are revisited and per-problem statistics exist.
 * A problem's id is its index in the bank, the same in every epoch and after a resume. The held-out
 * set is {@code --heldout} further problems with distinct prompts, none of them in the bank (or the
 * {@code --heldout-tasks} bank, whose prompts the bank is then drawn without). The default families
 * span problems a small policy always solves (one-digit sums) and never solves (six-digit sums,
 * three-digit products), so most groups start all-right or all-wrong, as LILO measured on real banks.
 */
public final class FixedArithBank implements ProblemBank {
    public static final String NAME = "builtin:arith-bank";
    private static final List<String> KEYS = List.of("size", "families", "bank-seed");
    private final String spec;
    private final List<ArithProblems.Family> families;
    private final long seed;
    private final List<Problem> problems;
    private final List<Problem> heldout;
    private final EpochShuffle stream;

    /** The bank of {@code spec} with {@code heldoutSize} problems of its own held out. */
    public FixedArithBank(String spec, long seed, int heldoutSize) {
        this(spec, seed, heldoutSize, null);
    }

    /** The bank of {@code spec}; {@code external} (when not null) is the held-out set instead of drawn ones. */
    FixedArithBank(String spec, long seed, int heldoutSize, List<Problem> external) {
        Map<String, String> settings = settings(spec);
        this.spec = spec;
        this.families = settings.containsKey("families")
                ? ArithProblems.parseFamilies(settings.get("families"), "--tasks " + spec) : ArithProblems.FAMILIES;
        int size = integer(spec, "size", settings.getOrDefault("size", "512"));
        long bankSeed = integer(spec, "bank-seed", settings.getOrDefault("bank-seed", "0"));
        this.seed = seed;
        Set<String> excluded = external == null ? new HashSet<>() : ArithBank.keys(external);
        this.problems = draw(Rng.derive(bankSeed, "rl/arith-bank/problems"), size, excluded, "size=" + size);
        this.heldout = external != null ? List.copyOf(external)
                : draw(Rng.derive(ArithBank.HELDOUT_SEED, "rl/arith-bank/heldout"), heldoutSize, ArithBank.keys(problems),
                        "--heldout " + heldoutSize);
        this.stream = new EpochShuffle(problems, Rng.derive(seed, "rl/arith-bank/order"));
    }

    /** The spec's settings; an unknown, repeated or valueless key fails naming it. */
    static Map<String, String> settings(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec.equals(NAME)) {
            return out;
        }
        UserError.require(spec.startsWith(NAME + "?") && spec.length() > NAME.length() + 1,
                "--tasks " + spec + ": expected " + NAME + "?size=512[&families=add,mul:1-2,...][&bank-seed=0]");
        for (String kv : spec.substring(NAME.length() + 1).split("&")) {
            String[] p = kv.split("=", 2);
            UserError.require(p.length == 2 && KEYS.contains(p[0]), "--tasks " + spec + ": unknown setting '" + kv
                    + "' (expected size=N, families=LIST or bank-seed=S)");
            UserError.require(out.put(p[0], p[1]) == null, "--tasks " + spec + ": " + p[0] + " is given twice");
        }
        return out;
    }

    private static int integer(String spec, String key, String value) {
        try {
            int v = Integer.parseInt(value);
            UserError.require(v >= (key.equals("size") ? 1 : 0), "--tasks " + spec + ": " + key + " must be >= "
                    + (key.equals("size") ? 1 : 0) + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new UserError("--tasks " + spec + ": " + key + " must be an integer, got '" + value + "'");
        }
    }

    /** {@code n} problems with distinct prompts outside {@code excluded}, ids 0..n-1. */
    private List<Problem> draw(Rng rng, int n, Set<String> excluded, String what) {
        Set<String> seen = new HashSet<>(excluded);
        List<Problem> out = new ArrayList<>(n);
        for (int draws = 0; out.size() < n; draws++) {
            if (draws >= ArithBank.MAX_DRAWS) {
                throw new UserError("--tasks " + spec + ": " + what + " asks for more distinct problems than its families give ("
                        + out.size() + " in " + ArithBank.MAX_DRAWS + " draws); ask for fewer or widen the families");
            }
            ArithProblems.Generated g = ArithProblems.draw(rng, families);
            if (seen.add(Problem.key(g.prompt()))) {
                out.add(new Problem(out.size(), g.family().name(), g.prompt(), g.answer(), Map.of(g.family().param(), (double) g.value())));
            }
        }
        return List.copyOf(out);
    }

    /** The bank's problems in id order. */
    public List<Problem> problems() {
        return problems;
    }

    @Override
    public double[] taskParams(Problem p) {
        return ArithBank.taskParams(families, spec, p);
    }

    @Override
    public void checkFits(Tokenizer tokenizer, int context) {
        for (List<Problem> set : List.of(problems, heldout)) {
            String refusal = ProblemBank.firstTooLong(set, p -> (set == problems ? "--tasks " + spec + " problem " : "held-out problem ")
                    + "'" + p.prompt() + "'", tokenizer, context);
            if (refusal != null) {
                throw new UserError(refusal);
            }
        }
    }

    @Override
    public Problem next() {
        return stream.next();
    }

    @Override
    public long position() {
        return stream.position();
    }

    @Override
    public List<Problem> heldout() {
        return heldout;
    }

    @Override
    public String describe() {
        return spec + " (" + problems.size() + " problems trained over epochs, " + heldout.size() + " held out, seed " + seed + ")";
    }
}
