package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The skills of {@code builtin:skills} and their prerequisite graph (three chains). Each skill makes
 * one-line documents whose answer is computed from the content its prerequisites teach:
 * <pre>
 *   digits (1) -> carry (2) -> sums (3)                 single-digit facts, then one carry, then multi-digit sums
 *   assign (1) -> chain2 (2) -> chain4 (3) -> chain8 (4) variable chains, each step adds a digit mod 10
 *   digits -----^
 *   f (1), g (1) -> fg (2)                               two fixed digit functions, then their composition
 * </pre>
 * The number in brackets is the {@link #level()}, the window's {@code difficulty} label (the depth in
 * the graph). The hardest skills, {@link #SUMS}, {@link #CHAIN8} and {@link #FG}, end the chains and are
 * the default held-out target.
 */
public enum Skill {
    DIGITS("digits", 1, List.of()),
    CARRY("carry", 2, List.of("digits")),
    SUMS("sums", 3, List.of("carry")),
    ASSIGN("assign", 1, List.of()),
    CHAIN2("chain2", 2, List.of("assign", "digits")),
    CHAIN4("chain4", 3, List.of("chain2")),
    CHAIN8("chain8", 4, List.of("chain4")),
    F("f", 1, List.of()),
    G("g", 1, List.of()),
    FG("fg", 2, List.of("f", "g"));

    private static final String NAMES = "abcdehijkmnpqrstuvwxyz";   // variable names (no f, g: they name functions)

    private final String tag;
    private final int level;
    private final List<String> prerequisites;

    Skill(String tag, int level, List<String> prerequisites) {
        this.tag = tag;
        this.level = level;
        this.prerequisites = prerequisites;
    }

    /** The {@link Window#source()} tag, also the spec key. */
    public String tag() {
        return tag;
    }

    /** Depth in the prerequisite graph (1 = no prerequisite); the window's difficulty label. */
    public int level() {
        return level;
    }

    /** Tags of the skills this one directly builds on. */
    public List<String> prerequisites() {
        return prerequisites;
    }

    /** The skill with this tag, or null. */
    public static Skill byTag(String tag) {
        for (Skill s : values()) {
            if (s.tag.equals(tag)) {
                return s;
            }
        }
        return null;
    }

    /** f(x) = (3x + 1) mod 10, a fixed permutation of the digits. */
    public static int f(int x) {
        return (3 * x + 1) % 10;
    }

    /** g(x) = (7x + 4) mod 10, a fixed permutation of the digits. */
    public static int g(int x) {
        return (7 * x + 4) % 10;
    }

    /** One document of this skill, e.g. {@code 7+5=12}, {@code 27+5=32}, {@code a=4;k=a+3;k?7}, {@code f(g(3))=6}. */
    public byte[] document(Rng rng) {
        String text = switch (this) {
            case DIGITS -> {
                int a = rng.nextInt(10);
                int b = rng.nextInt(10);
                yield a + "+" + b + "=" + (a + b);
            }
            case CARRY -> {                                     // a two-digit number plus a digit, ones column carries
                int ones = 1 + rng.nextInt(9);
                int b = 10 - ones + rng.nextInt(ones);          // ones + b in [10, 18]
                int a = 10 * (1 + rng.nextInt(8)) + ones;       // tens 1..8: the sum stays two digits
                yield a + "+" + b + "=" + (a + b);
            }
            case SUMS -> {                                      // 3-4 digit operands, at least one carry
                long a;
                long b;
                do {
                    a = digits(rng, 3 + rng.nextInt(2));
                    b = digits(rng, 3 + rng.nextInt(2));
                } while (!carries(a, b));
                yield a + "+" + b + "=" + (a + b);
            }
            case ASSIGN -> chain(rng, 1);
            case CHAIN2 -> chain(rng, 2);
            case CHAIN4 -> chain(rng, 4);
            case CHAIN8 -> chain(rng, 8);
            case F -> {
                int x = rng.nextInt(10);
                yield "f(" + x + ")=" + f(x);
            }
            case G -> {
                int x = rng.nextInt(10);
                yield "g(" + x + ")=" + g(x);
            }
            case FG -> {
                int x = rng.nextInt(10);
                yield "f(g(" + x + "))=" + f(g(x));
            }
        };
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A chain of {@code length} assignments over distinct variables, then a query: {@code v1=d;v2=v1+e;...;vL?answer}
     * where the answer is (d + the sum of the increments) mod 10. Length 1 is plain assignment, {@code c=4;c?4}.
     */
    private static String chain(Rng rng, int length) {
        int[] names = rng.sampleWithoutReplacement(NAMES.length(), length);
        int value = rng.nextInt(10);
        StringBuilder s = new StringBuilder().append(NAMES.charAt(names[0])).append('=').append(value);
        for (int i = 1; i < length; i++) {
            int e = 1 + rng.nextInt(9);
            value = (value + e) % 10;
            s.append(';').append(NAMES.charAt(names[i])).append('=').append(NAMES.charAt(names[i - 1])).append('+').append(e);
        }
        return s.append(';').append(NAMES.charAt(names[length - 1])).append('?').append(value).toString();
    }

    private static long digits(Rng rng, int n) {
        long low = (long) Math.pow(10, n - 1);
        return low + (long) (rng.nextDouble() * 9 * low);
    }

    private static boolean carries(long a, long b) {
        for (; a > 0 || b > 0; a /= 10, b /= 10) {
            if (a % 10 + b % 10 >= 10) {
                return true;
            }
        }
        return false;
    }
}
