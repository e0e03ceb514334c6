package dev.curlab.eval;

import java.util.List;
import java.util.Locale;

/**
 * Checks a short golden run's eval losses against reference values stored per CPU family and thread
 * count. The same family and thread count should reproduce the values bit for bit; another family
 * (AVX2 against AVX-512 math kernels) or thread count changes the last bits, which a tolerance
 * absorbs; anything beyond it means the build or the machine does not reproduce curlab's numbers.
 */
public final class ReferenceCheck {
    private ReferenceCheck() {
    }

    /**
     * Stored values of one machine family.
     *
     * @param family   "avx512", "avx2" or "other" (see MachineInfo.family)
     * @param threads  PyTorch threads of the reference run
     * @param cpu      the CPU model it was made on, for the reader
     * @param evalLoss the eval losses, in order
     */
    public record Reference(String family, int threads, String cpu, List<Double> evalLoss) {
        public Reference {
            evalLoss = List.copyOf(evalLoss);
        }

        String label() {
            return family + " with " + threads + " thread" + (threads == 1 ? "" : "s") + " (" + cpu + ")";
        }
    }

    /** IDENTICAL and WITHIN pass; OUTSIDE fails. */
    public enum Outcome { IDENTICAL, WITHIN, OUTSIDE }

    /** The outcome, the reference it was judged against, the largest difference and a sentence for the user. */
    public record Verdict(Outcome outcome, Reference against, double maxDiff, String message) {
        public boolean passed() {
            return outcome != Outcome.OUTSIDE;
        }
    }

    /** Judges {@code observed} (eval losses) from a machine of {@code family} with {@code threads} against {@code refs}. */
    public static Verdict check(List<Reference> refs, String family, int threads, double[] observed, double tolerance) {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no reference values");
        }
        Reference best = refs.get(0);                     // kept when every entry has another length
        double bestDiff = Double.POSITIVE_INFINITY;
        Reference same = null;
        double sameDiff = Double.POSITIVE_INFINITY;
        for (Reference r : refs) {
            double d = maxDiff(r.evalLoss(), observed);
            if (d < bestDiff) {
                best = r;
                bestDiff = d;
            }
            if (r.family().equals(family) && r.threads() == threads) {
                same = r;
                sameDiff = d;
            }
        }
        if (same != null && sameDiff == 0) {
            return new Verdict(Outcome.IDENTICAL, same, 0, "bit-identical to the reference values for " + same.label());
        }
        if (bestDiff <= tolerance) {
            String why = same != null
                    ? "not bit-identical to the reference for this family and thread count (" + same.label() + ", largest difference "
                            + fmt(sameDiff) + ": another CPU model or PyTorch build), but "
                    : "no reference values for " + family + " with " + threads + " thread" + (threads == 1 ? "" : "s") + "; ";
            return new Verdict(Outcome.WITHIN, best, bestDiff, why + "within " + fmt(tolerance) + " of " + best.label()
                    + " (largest difference " + fmt(bestDiff) + ")");
        }
        return new Verdict(Outcome.OUTSIDE, best, bestDiff, "differs from every reference by more than " + fmt(tolerance)
                + " (closest: " + best.label() + ", largest difference " + fmt(bestDiff) + "): this build or machine does not "
                + "reproduce curlab's numbers");
    }

    /** Largest |a_i − b_i|; infinity when the lengths differ or a value is not finite. */
    static double maxDiff(List<Double> a, double[] b) {
        if (a.size() != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs(a.get(i) - b[i]);
            if (!Double.isFinite(d)) {
                return Double.POSITIVE_INFINITY;
            }
            m = Math.max(m, d);
        }
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
