package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * Answer checkers: {@link #acc} is 1 when the answer that {@code format} extracts from a completion
 * ({@link AnswerFormat}) matches the reference, else 0 (nothing extracted: 0). {@code exact} compares
 * after whitespace normalisation (trimmed, runs of whitespace as one space); {@code numeric} parses
 * both as numbers and accepts |got - want| <= tolerance * max(1, |want|) (a completion that is not a
 * number gets 0). acc is what curricula filter on and pass@1 counts; the policy's reward is kept apart
 * from it (equal to it while no shaped reward is configured).
 */
public record Verifier(String kind, double tolerance, AnswerFormat format) {
    public static final String EXACT = "exact";
    public static final String NUMERIC = "numeric";

    public Verifier {
        if (!kind.equals(EXACT) && !kind.equals(NUMERIC)) {
            throw new UserError("--verifier must be exact or numeric, got '" + kind + "'");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new UserError("--tolerance must be a finite number >= 0, got " + tolerance);
        }
    }

    /** A checker of whole completions ({@code --answer-format exact}). */
    public Verifier(String kind, double tolerance) {
        this(kind, tolerance, AnswerFormat.EXACT);
    }

    /** 1 when the answer extracted from {@code completion} matches {@code answer}, else 0: binary accuracy. */
    public double acc(String completion, String answer) {
        String got = format.extract(completion);
        if (got == null) {
            return 0;
        }
        return kind.equals(EXACT) ? exact(got, answer) : numeric(got, answer, tolerance);
    }

    /** The reward of a run without a shaped reward: its {@link #acc}. */
    public double reward(String completion, String answer) {
        return acc(completion, answer);
    }

    /** Whitespace-normalised text: trimmed, each run of whitespace one space. */
    public static String normalise(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    public static double exact(String completion, String answer) {
        return normalise(completion).equals(normalise(answer)) ? 1 : 0;
    }

    public static double numeric(String completion, String answer, double tolerance) {
        Double got = parse(completion);
        Double want = parse(answer);
        if (got == null || want == null) {
            return want == null ? exact(completion, answer) : 0;
        }
        return Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want)) ? 1 : 0;
    }

    private static Double parse(String s) {
        String t = normalise(s);
        if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(t);
    }
}
