package dev.curlab.rl;

import java.util.Locale;

/**
 * The RL comparison in plain words: a curator's held-out pass@1 minus the reference's, paired by seed,
 * with its 95% bootstrap interval, read as "higher" (the interval is above 0), "lower" (below 0) or
 * "no difference at this size" (it holds 0). With few seeds a percentile bootstrap interval is about
 * the range of the per-seed differences, so "higher" with 3 seeds means every seed was higher.
 */
public final class RlVerdict {
    private RlVerdict() {
    }

    /** The word for an interval [lo, hi] of a difference: "higher", "lower" or "no difference at this size". */
    public static String word(double lo, double hi) {
        if (lo > 0) {
            return "higher";
        }
        if (hi < 0) {
            return "lower";
        }
        return "no difference at this size";
    }

    /**
     * One line: {@code curator} against {@code reference} over {@code seeds} seeds at equal generated
     * rollouts (the word is read off this interval) and at equal steps, then where the larger measurement is.
     */
    public static String line(String curator, String reference, int seeds, RlLedger.Paired atRollouts, RlLedger.Paired atSteps,
            String more) {
        if (atRollouts.diffs().length == 0) {
            return "RL verdict: no seed of " + curator + " and " + reference + " to compare";
        }
        return String.format(Locale.ROOT, "RL verdict (%d seed%s): %s vs %s at equal rollouts %s, at equal steps %s: %s",
                seeds, seeds == 1 ? "" : "s", curator, reference, interval(atRollouts), interval(atSteps),
                verdict(curator, atRollouts.interval().lo(), atRollouts.interval().hi())) + (more.isEmpty() ? "" : "; " + more);
    }

    /** "CURATOR higher", "CURATOR lower" or "no difference at this size". */
    static String verdict(String curator, double lo, double hi) {
        String w = word(lo, hi);
        return w.startsWith("no ") ? w : curator + " " + w;
    }

    private static String interval(RlLedger.Paired p) {
        return p.diffs().length == 0 ? "-"
                : String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", p.mean(), p.interval().lo(), p.interval().hi());
    }
}
