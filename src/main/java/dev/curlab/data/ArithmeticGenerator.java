package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.charset.StandardCharsets;

/**
 * Arithmetic facts such as {@code 17+5=22}, {@code 3*4=12} or {@code 804-96=708}. At level L the
 * first operand has exactly L digits (level 1: 0..9) and the second 1..L digits, so the level is
 * the digit count of the larger operand. Subtractions never go negative.
 */
final class ArithmeticGenerator implements DocumentGenerator {
    private static final char[] OPS = {'+', '-', '*'};

    @Override
    public byte[] document(Rng rng, int level) {
        long a = withDigits(rng, level);
        long b = withDigits(rng, 1 + rng.nextInt(level));
        char op = OPS[rng.nextInt(OPS.length)];
        if (op == '-' && b > a) {
            long t = a;
            a = b;
            b = t;
        }
        long result = switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            default -> a * b;
        };
        return (a + "" + op + b + "=" + result).getBytes(StandardCharsets.US_ASCII);
    }

    /** Uniform among the numbers with exactly {@code digits} digits (1 digit: 0..9). */
    private static long withDigits(Rng rng, int digits) {
        if (digits == 1) {
            return rng.nextInt(10);
        }
        int low = (int) Math.pow(10, digits - 1);
        return low + rng.nextInt(9 * low);
    }
}
