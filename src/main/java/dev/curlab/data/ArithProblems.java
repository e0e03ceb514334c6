package dev.curlab.data;

import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * Procedural arithmetic problems with one explicit difficulty parameter each, recorded with the
 * problem (for RL problem banks and their worked examples, {@code builtin:arith} and
 * {@code builtin:arith-sft}):
 * <ul>
 *   <li>{@code add}, digits 1..6: two operands of exactly that many digits (1 digit: 0..9), {@code 381+905=} answer {@code 1286};</li>
 *   <li>{@code mul}, digits 1..3: the same with {@code *};</li>
 *   <li>{@code chain}, length 2..6: single-digit operands joined by + or -, evaluated left to right ({@code 3+5-9=} answer {@code -1});</li>
 *   <li>{@code rev}, length 2..8: a word of random lowercase letters reversed ({@code rev abc=} answer {@code cba}).</li>
 * </ul>
 */
public final class ArithProblems {
    /** A family and the inclusive range of its one parameter. */
    public record Family(String name, String param, int min, int max) {
    }

    public static final List<Family> FAMILIES = List.of(
            new Family("add", "digits", 1, 6),
            new Family("mul", "digits", 1, 3),
            new Family("chain", "length", 2, 6),
            new Family("rev", "length", 2, 8));

    /** One generated problem: its family, parameter value, prompt and answer. */
    public record Generated(Family family, int value, String prompt, String answer) {
        /** The worked example: prompt followed by its answer. */
        public String worked() {
            return prompt + answer;
        }
    }

    private ArithProblems() {
    }

    /** The family called {@code name}, or null. */
    public static Family family(String name) {
        for (Family f : FAMILIES) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The families of a spec's {@code families=} list, {@code add,chain} or with narrowed parameter
     * ranges {@code add:1-3,chain:2-4} (a single value {@code add:2}); {@code option} names the spec
     * in errors.
     */
    public static List<Family> parseFamilies(String list, String option) {
        List<Family> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String[] nameRange = item.split(":", 2);
            Family f = family(nameRange[0]);
            if (f == null) {
                throw new UserError(option + ": unknown family '" + nameRange[0] + "' (expected add, mul, chain or rev)");
            }
            if (nameRange.length == 2) {
                f = narrowed(f, nameRange[1], option);
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    private static Family narrowed(Family f, String range, String option) {
        String expected = option + ": family " + f.name() + " takes " + f.param() + " LO-HI within " + f.min() + "-" + f.max()
                + ", got '" + range + "'";
        String[] lh = range.split("-", -1);
        int lo;
        int hi;
        try {
            lo = Integer.parseInt(lh[0]);
            hi = lh.length == 1 ? lo : Integer.parseInt(lh[1]);
        } catch (NumberFormatException e) {
            throw new UserError(expected);
        }
        UserError.require(lh.length <= 2 && f.min() <= lo && lo <= hi && hi <= f.max(), expected);
        return new Family(f.name(), f.param(), lo, hi);
    }

    /** A family drawn uniformly from {@code families}, its parameter uniformly from its range, then the problem. */
    public static Generated draw(Rng rng, List<Family> families) {
        Family f = families.get(rng.nextInt(families.size()));
        int value = f.min() + rng.nextInt(f.max() - f.min() + 1);
        return generate(rng, f, value);
    }

    /** A problem of family {@code f} with parameter {@code value}. */
    public static Generated generate(Rng rng, Family f, int value) {
        return switch (f.name()) {
            case "add" -> {
                long a = withDigits(rng, value);
                long b = withDigits(rng, value);
                yield new Generated(f, value, a + "+" + b + "=", Long.toString(a + b));
            }
            case "mul" -> {
                long a = withDigits(rng, value);
                long b = withDigits(rng, value);
                yield new Generated(f, value, a + "*" + b + "=", Long.toString(a * b));
            }
            case "chain" -> {
                StringBuilder p = new StringBuilder();
                long acc = rng.nextInt(10);
                p.append(acc);
                for (int i = 1; i < value; i++) {
                    int x = rng.nextInt(10);
                    boolean plus = rng.nextInt(2) == 0;
                    acc = plus ? acc + x : acc - x;
                    p.append(plus ? '+' : '-').append(x);
                }
                yield new Generated(f, value, p.append('=').toString(), Long.toString(acc));
            }
            case "rev" -> {
                char[] w = new char[value];
                for (int i = 0; i < value; i++) {
                    w[i] = (char) ('a' + rng.nextInt(26));
                }
                String word = new String(w);
                yield new Generated(f, value, "rev " + word + "=", new StringBuilder(word).reverse().toString());
            }
            default -> throw new IllegalArgumentException("unknown family " + f.name());
        };
    }

    /** Uniform among the numbers with exactly {@code digits} digits (1 digit: 0..9). */
    static long withDigits(Rng rng, int digits) {
        if (digits == 1) {
            return rng.nextInt(10);
        }
        long low = (long) Math.pow(10, digits - 1);
        return low + (long) (rng.nextDouble() * 9 * low);
    }
}
