package dev.curlab.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.curlab.util.Spelled;
import dev.curlab.util.UserError;

/**
 * Answer checkers: {@link #acc} is 1 when the answer that {@code format} extracts from a completion
 * ({@link AnswerFormat}) matches the reference, else 0 (nothing extracted: 0). {@code exact} compares
 * after whitespace normalisation (trimmed, runs of whitespace as one space); {@code numeric} parses
 * both as numbers and accepts |got - want| <= tolerance * max(1, |want|) (a completion that is not a
 * number gets 0). acc is what curricula filter on and pass@1 counts; the policy's reward is kept apart
 * from it (equal to it while no shaped reward is configured).
 */
public record Verifier(Kind kind, double tolerance, AnswerFormat format) {

    /** --verifier: how an extracted answer is compared with the reference. */
    public enum Kind implements Spelled {
        EXACT, NUMERIC;

        @JsonCreator
        public static Kind of(String s) {
            for (Kind k : values()) {
                if (k.spelling().equals(s)) {
                    return k;
                }
            }
            throw new UserError("--verifier must be exact or numeric, got '" + s + "'");
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    public Verifier {
        UserError.require(kind != null, "--verifier must be exact or numeric, got 'null'");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new UserError("--tolerance must be a finite number >= 0, got " + tolerance);
        }
    }

    /** A checker of whole completions ({@code --answer-format exact}). */
    public Verifier(Kind kind, double tolerance) {
        this(kind, tolerance, AnswerFormat.EXACT);
    }

    /** As the command line spells it: {@code exact} or {@code numeric}. */
    public Verifier(String kind, double tolerance, AnswerFormat format) {
        this(Kind.of(kind), tolerance, format);
    }

    /** As the command line spells it, for whole completions. */
    public Verifier(String kind, double tolerance) {
        this(Kind.of(kind), tolerance, AnswerFormat.EXACT);
    }

    /** 1 when the answer extracted from {@code completion} matches {@code answer}, else 0: binary accuracy. */
    public double acc(String completion, String answer) {
        String got = format.extract(completion);
        if (got == null) {
            return 0;
        }
        return kind == Kind.EXACT ? exact(got, answer) : numeric(got, answer, tolerance);
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
