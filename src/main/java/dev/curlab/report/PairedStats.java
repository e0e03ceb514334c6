package dev.curlab.report;

import dev.curlab.eval.Bootstrap;
import dev.curlab.eval.LogLossArea;
import dev.curlab.eval.SampleEfficiency;
import dev.curlab.util.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Paired statistics of every selector against a reference selector (random by default): per seed
 * (runs with the same seed share data, initialisation and evaluation set, so they pair), the
 * difference selector − reference of
 * <ul>
 *   <li>examples to target, at three targets taken from the reference: the mean over its seeds of its
 *       eval loss at 1/4 and 1/2 of its steps (linear between eval points) and at its end; a run that
 *       never reaches a target is censored at the examples it trained (marked ≥);</li>
 *   <li>the area under the eval-loss curve against log examples ({@link LogLossArea}), on the range
 *       every run covers: from the largest first eval after step 0 to the smallest final examples;</li>
 * </ul>
 * with the mean difference's percentile-bootstrap 95% interval over the pairs ({@link Bootstrap}).
 *
 * @param reference the reference selector
 * @param targets   the targets, easiest first
 * @param aucFrom   start of the area's examples range (NaN when there are no runs to compare)
 * @param aucTo     end of the area's examples range
 * @param rows      one row per selector (other than the reference) and metric
 */
public record PairedStats(String reference, List<Target> targets, double aucFrom, double aucTo, List<Row> rows) {
    /** Fractions of the reference's run whose eval loss becomes a target, easiest first. */
    static final double[] FRACTIONS = {0.25, 0.5, 1.0};
    static final String[] FRACTION_NAMES = {"1/4", "1/2", "end"};

    /** A target eval loss: the reference's mean eval loss at {@code step}. */
    public record Target(String label, long step, double loss) {
    }

    /**
     * One selector against the reference on one metric.
     *
     * @param metric          "examples_to_target@1/4" ... or "auc_log_examples"
     * @param seeds           the paired seeds
     * @param diffs           selector − reference per paired seed (censored values enter at the run's length)
     * @param censoredSel     per pair: the selector's run never reached the target (the difference is a lower bound)
     * @param censoredRef     per pair: the reference's run never reached it (the difference is an upper bound)
     * @param mean            mean difference
     * @param ci              bootstrap 95% interval of the mean, null for fewer than two pairs
     */
    public record Row(String selector, String metric, double target, List<Long> seeds, double[] diffs, boolean[] censoredSel,
            boolean[] censoredRef, double mean, Bootstrap.Interval ci) {

        /** "no difference" when the interval holds 0; a direction only when censoring cannot undo it. */
        public String verdict() {
            if (ci == null) {
                return seeds.isEmpty() ? "no paired seeds" : "one seed: no interval";
            }
            if (ci.containsZero()) {
                return "no difference";
            }
            boolean lower = ci.hi() < 0;
            // a censored selector value only raises the true difference, a censored reference value only lowers it
            if (lower && any(censoredSel) || !lower && any(censoredRef)) {
                return "undetermined (censored)";
            }
            boolean auc = metric.equals(AUC);
            return lower ? (auc ? "lower loss" : "fewer examples") : (auc ? "higher loss" : "more examples");
        }

        int censoredCount() {
            int k = 0;
            for (int i = 0; i < diffs.length; i++) {
                k += censoredSel[i] || censoredRef[i] ? 1 : 0;
            }
            return k;
        }
    }

    static final String AUC = "auc_log_examples";

    /** The statistics of {@code runs} against {@code reference}; no rows when the reference has no runs. */
    public static PairedStats build(List<RunData> runs, String reference) {
        Map<String, List<RunData>> groups = EfficiencyTable.bySelector(runs);
        List<RunData> ref = groups.get(reference);
        if (ref == null || ref.isEmpty()) {
            return new PairedStats(reference, List.of(), Double.NaN, Double.NaN, List.of());
        }
        List<Target> targets = new ArrayList<>();
        for (int f = 0; f < FRACTIONS.length; f++) {
            long step = Math.round(ref.get(0).steps() * FRACTIONS[f]);
            double[] at = ref.stream().mapToDouble(r -> lossAtStep(r, step)).toArray();
            targets.add(new Target(FRACTION_NAMES[f], step, Stats.mean(at)));
        }
        double from = 0;
        double to = Double.POSITIVE_INFINITY;
        for (RunData r : runs) {
            double[] ex = r.evalExamples();
            from = Math.max(from, firstPositive(ex));
            to = Math.min(to, ex.length == 0 ? Double.NaN : ex[ex.length - 1]);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            if (g.getKey().equals(reference)) {
                continue;
            }
            for (Target t : targets) {
                rows.add(pair(g.getKey(), "examples_to_target@" + t.label(), t.loss(), g.getValue(), ref, t.loss(), from, to));
            }
            rows.add(pair(g.getKey(), AUC, Double.NaN, g.getValue(), ref, Double.NaN, from, to));
        }
        return new PairedStats(reference, targets, from, to, rows);
    }

    private static Row pair(String selector, String metric, double target, List<RunData> sel, List<RunData> ref, double loss,
            double from, double to) {
        List<Long> seeds = new ArrayList<>();
        List<double[]> values = new ArrayList<>();          // {diff, censoredSel, censoredRef}
        for (RunData s : sel) {
            RunData r = ref.stream().filter(x -> x.seed() == s.seed()).findFirst().orElse(null);
            if (r == null) {
                continue;
            }
            double[] vs = value(s, metric, loss, from, to);
            double[] vr = value(r, metric, loss, from, to);
            if (!Double.isFinite(vs[0]) || !Double.isFinite(vr[0])) {
                continue;
            }
            seeds.add(s.seed());
            values.add(new double[] {vs[0] - vr[0], vs[1], vr[1]});
        }
        int n = seeds.size();
        double[] d = new double[n];
        boolean[] cs = new boolean[n];
        boolean[] cr = new boolean[n];
        for (int i = 0; i < n; i++) {
            d[i] = values.get(i)[0];
            cs[i] = values.get(i)[1] > 0;
            cr[i] = values.get(i)[2] > 0;
        }
        Bootstrap.Interval ci = n < 2 ? null : Bootstrap.percentile95(d);
        return new Row(selector, metric, target, List.copyOf(seeds), d, cs, cr, Stats.mean(d), ci);
    }

    /** {value, 1 if censored}: examples to {@code target} (censored at the run's final examples), or the area. */
    static double[] value(RunData r, String metric, double target, double from, double to) {
        if (metric.equals(AUC)) {
            return new double[] {LogLossArea.normalised(r.evalExamples(), r.evalLoss(), from, to), 0};
        }
        double[] ex = r.evalExamples();
        OptionalDouble e = SampleEfficiency.examplesToTarget(ex, r.evalLoss(), target);
        if (e.isPresent()) {
            return new double[] {e.getAsDouble(), 0};
        }
        return new double[] {ex.length == 0 ? Double.NaN : ex[ex.length - 1], 1};
    }

    /** The run's eval loss at {@code step}, linear between eval points; NaN outside them. */
    static double lossAtStep(RunData r, long step) {
        double[] s = r.evalSteps();
        double[] l = r.evalLoss();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == step) {
                return l[i];
            }
            if (s[i] > step && i > 0) {
                return l[i - 1] + (l[i] - l[i - 1]) * (step - s[i - 1]) / (s[i] - s[i - 1]);
            }
        }
        return Double.NaN;
    }

    private static double firstPositive(double[] ex) {
        for (double x : ex) {
            if (x > 0) {
                return x;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static boolean any(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }

    // ----------------------------------------------------------------------------------------------
    // Text forms
    // ----------------------------------------------------------------------------------------------

    /** The statistics in Markdown: the definitions, then one row per selector and metric. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        if (targets.isEmpty()) {
            return "No paired statistics: no runs of the reference selector '" + reference + "' (--reference).\n";
        }
        sb.append(String.format(Locale.ROOT, "Paired differences against %s (selector − %s, per seed; bootstrap 95%% interval of the mean "
                + "difference, percentile bootstrap over the paired seeds, %d resamples, seed %d).%n%n", reference, reference,
                Bootstrap.RESAMPLES, Bootstrap.SEED));
        List<String> t = new ArrayList<>();
        for (Target x : targets) {
            t.add(String.format(Locale.ROOT, "@%s = %.4f (%s's mean eval loss at step %d)", x.label(), x.loss(), reference, x.step()));
        }
        sb.append("Targets: ").append(String.join("; ", t)).append(".\n\n");
        sb.append(String.format(Locale.ROOT, "AUC: mean eval loss over ln(examples) from %.0f to %.0f examples (trapezoid, normalised by "
                + "the log-range); lower is better.%n%n", aucFrom, aucTo));
        List<String> head = List.of("selector", "metric", "pairs", "mean difference", "95% interval", "verdict", "per seed");
        sb.append(mdRow(head)).append(mdRow(head.stream().map(h -> "---").toList()));
        for (Row r : rows) {
            boolean auc = r.metric().equals(AUC);
            String fmt = auc ? "%+.4f" : "%+.0f";
            List<String> per = new ArrayList<>();
            for (int i = 0; i < r.diffs().length; i++) {
                String mark = r.censoredSel()[i] && r.censoredRef()[i] ? "?" : r.censoredSel()[i] ? "≥" : r.censoredRef()[i] ? "≤" : "";
                per.add(r.seeds().get(i) + ": " + mark + String.format(Locale.ROOT, fmt, r.diffs()[i]));
            }
            String metric = auc ? "AUC (log examples)" : String.format(Locale.ROOT, "examples to %.4f (%s)", r.target(),
                    r.metric().substring(r.metric().indexOf('@')));
            sb.append(mdRow(List.of(r.selector(), metric, String.valueOf(r.seeds().size()),
                    r.seeds().isEmpty() ? "-" : String.format(Locale.ROOT, fmt, r.mean())
                            + (r.censoredCount() > 0 ? " (" + r.censoredCount() + " censored)" : ""),
                    r.ci() == null ? "-" : String.format(Locale.ROOT, "[" + fmt + ", " + fmt + "]", r.ci().lo(), r.ci().hi()),
                    oneSeed(r) ? "-" : r.verdict(), String.join(", ", per))));
        }
        sb.append('\n');
        if (rows.stream().anyMatch(PairedStats::oneSeed)) {                   // said once, not on every row
            sb.append("One seed: a row of a single pair has no interval and no verdict (\"-\"); run more seeds for them.\n\n");
        }
        sb.append("Examples to target: a run that never reaches the target enters at the examples it trained (censored): ≥ marks a "
                + "difference that is a lower bound (the selector never reached it), ≤ an upper bound (the reference never did), "
                + "? both. A direction is claimed only when the interval excludes 0 and no censored value could move it back; "
                + "an interval that contains 0 reads \"no difference\".\n");
        return sb.toString();
    }

    private static boolean oneSeed(Row r) {
        return r.ci() == null && r.seeds().size() == 1;
    }

    /** One row per selector and metric; per_seed holds seed:difference pairs, with c&gt; / c&lt; for censored ones. */
    public String csv() {
        StringBuilder sb = new StringBuilder("selector,reference,metric,target_loss,pairs,censored,mean_difference,ci95_low,ci95_high,"
                + "verdict,per_seed\n");
        for (Row r : rows) {
            List<String> per = new ArrayList<>();
            for (int i = 0; i < r.diffs().length; i++) {
                String mark = r.censoredSel()[i] && r.censoredRef()[i] ? "?" : r.censoredSel()[i] ? ">=" : r.censoredRef()[i] ? "<=" : "";
                per.add(r.seeds().get(i) + ":" + mark + r.diffs()[i]);
            }
            sb.append(String.join(",", List.of(r.selector(), reference, r.metric(), num(r.target()), String.valueOf(r.seeds().size()),
                    String.valueOf(r.censoredCount()), num(r.mean()), r.ci() == null ? "" : num(r.ci().lo()),
                    r.ci() == null ? "" : num(r.ci().hi()), r.verdict(), String.join(";", per)))).append('\n');
        }
        return sb.toString();
    }

    /** The HTML section of the compare report. */
    public String html() {
        return "<h2>Are the differences real? Paired statistics against " + Html.escape(reference) + "</h2>"
                + CompareReport.markdownToHtml(markdown());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "";
    }

    private static String mdRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
