package dev.curlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The interactive report's chart sections, built from the runs' metrics alone: eval loss against
 * examples, FLOPs and wall time (target line and crossings), training signals, per-source eval loss,
 * the curriculum per selector, and the soft-Q dynamics. Sections or panels without data become notes.
 */
final class ReportSections {
    /** A titled group of charts with the notes on what it leaves out. */
    record Section(String title, List<InteractiveChart> charts, List<String> notes) {
    }

    /** The caption's one explanation of a seed band (band series have no legend entry). */
    static final String BAND = "the shaded band spans the lowest to the highest seed (it has no legend entry; hiding a line hides its band)";

    private ReportSections() {
    }

    static List<Section> build(List<RunData> runs, EfficiencyTable table) {
        Map<String, List<RunData>> groups = EfficiencyTable.bySelector(runs);
        List<String> order = new ArrayList<>(groups.keySet());
        List<Section> out = new ArrayList<>();
        out.add(evalSection(groups, order, table));
        out.add(trainingSection(runs, groups, order));
        out.add(SourceLossSection.build(groups, order));
        out.add(curriculumSection(groups));
        out.add(softQSection(runs, groups, order));
        return out;
    }

    static String color(List<String> order, String selector) {
        return InteractiveChart.PALETTE[Math.max(0, order.indexOf(selector)) % InteractiveChart.PALETTE.length];
    }

    // ----------------------------------------------------------------------------------------------
    // Eval loss: mean over seeds with a lowest-highest band, target line and crossings
    // ----------------------------------------------------------------------------------------------

    private static Section evalSection(Map<String, List<RunData>> groups, List<String> order, EfficiencyTable table) {
        List<InteractiveChart> charts = new ArrayList<>();
        String[][] axes = {{"examples", "examples trained"}, {"flops", "training compute (FLOPs, estimated)"},
            {"wall", "wall time of the training steps (s)"}};
        boolean bands = groups.values().stream().anyMatch(r -> r.size() > 1);
        for (String[] a : axes) {
            InteractiveChart c = new InteractiveChart("Eval loss vs " + a[1].replaceAll(" \\(.*", ""), a[1], MetricNames.of("eval_loss"));
            for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
                double[][] s = evalCurve(g.getValue(), a[0]);
                String color = color(order, g.getKey());
                int seeds = g.getValue().size();
                c.add(g.getKey() + (seeds > 1 ? " (mean of " + seeds + " seeds)" : ""), "line", color, s[0], s[1]);
                if (seeds > 1) {
                    c.add(g.getKey() + ": lowest seed", "lo", color, s[0], s[2]);
                    c.add(g.getKey() + ": highest seed", "hi", color, s[0], s[3]);
                }
            }
            if (table.hasTarget()) {
                c.reference(String.format(Locale.ROOT, "target eval loss %.3f", table.target()), table.target());
                for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
                    double[][] s = evalCurve(g.getValue(), a[0]);
                    double x = InteractiveChart.crossing(s[0], s[1], table.target());
                    c.add(g.getKey() + " reaches the target", "point", color(order, g.getKey()), new double[] {x},
                            new double[] {table.target()});
                }
            }
            c.note("Each line is the mean over a selector's seeds at each evaluation" + (bands ? "; " + BAND : "")
                    + (table.hasTarget() ? "; the dashed line is the target eval loss (" + table.targetSource()
                    + ") and a dot marks where each selector's mean first reaches it" : "") + ".");
            charts.add(c);
        }
        List<String> notes = new ArrayList<>();
        if (!table.hasTarget()) {
            notes.add("No target eval loss: no target line or crossings (give --target-loss).");
        }
        return new Section("Eval loss", charts, notes);
    }

    /** Per eval step: mean x, mean loss, lowest and highest loss over the runs. */
    static double[][] evalCurve(List<RunData> runs, String axis) {
        return evalCurve(runs, axis, "eval_loss");
    }

    /** Per eval step: mean x, and the mean, lowest and highest of the eval lines' {@code field} over the runs that have it. */
    static double[][] evalCurve(List<RunData> runs, String axis, String field) {
        TreeMap<Double, List<double[]>> byStep = new TreeMap<>();
        for (RunData r : runs) {
            double[] steps = r.evalSteps();
            double[] x = switch (axis) {
                case "flops" -> r.evalTrainFlops();
                case "wall" -> wallAtEvals(r);
                default -> r.evalExamples();
            };
            double[] loss = MetricsFile.column(r.metrics().evals(), field);
            for (int k = 0; k < steps.length; k++) {
                if (Double.isFinite(loss[k]) && Double.isFinite(x[k])) {
                    byStep.computeIfAbsent(steps[k], s -> new ArrayList<>()).add(new double[] {x[k], loss[k]});
                }
            }
        }
        double[][] out = new double[4][byStep.size()];
        int k = 0;
        for (List<double[]> pts : byStep.values()) {
            out[2][k] = Double.POSITIVE_INFINITY;
            out[3][k] = Double.NEGATIVE_INFINITY;
            for (double[] p : pts) {
                out[0][k] += p[0] / pts.size();
                out[1][k] += p[1] / pts.size();
                out[2][k] = Math.min(out[2][k], p[1]);
                out[3][k] = Math.max(out[3][k], p[1]);
            }
            k++;
        }
        return out;
    }

    /** Seconds of training steps (the sum of step_ms) done when each eval line was written. */
    static double[] wallAtEvals(RunData r) {
        double[] step = MetricsFile.column(r.metrics().steps(), "step");
        double[] ms = MetricsFile.column(r.metrics().steps(), "step_ms");
        double[] evals = r.evalSteps();
        double[] out = new double[evals.length];
        for (int e = 0; e < evals.length; e++) {
            double sum = 0;
            for (int i = 0; i < step.length && step[i] <= evals[e]; i++) {
                sum += Double.isFinite(ms[i]) ? ms[i] : 0;
            }
            out[e] = sum / 1000;
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------
    // Per-step signals, as means over seeds and over windows of steps
    // ----------------------------------------------------------------------------------------------

    private static Section trainingSection(List<RunData> runs, Map<String, List<RunData>> groups, List<String> order) {
        List<InteractiveChart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        charts.add(perSelector(groups, order, "train_loss", "Train loss on the picked windows"));
        for (Map.Entry<String, Map<String, List<RunData>>> k : CompareReport.byReward(runs).entrySet()) {
            charts.add(perSelector(k.getValue(), order, "reward", "Reward, " + CompareReport.rewardLabel(k.getKey())));
        }
        TreeSet<Double> lrs = new TreeSet<>();
        for (RunData r : runs) {
            for (double v : MetricsFile.column(r.metrics().steps(), "lr")) {
                if (Double.isFinite(v)) {
                    lrs.add(v);
                }
            }
        }
        if (lrs.size() > 1) {
            charts.add(perSelector(groups, order, "lr", "Learning rate"));
        } else if (lrs.size() == 1) {
            notes.add("The learning rate is constant at " + lrs.first() + ": no panel.");
        }
        charts.removeIf(InteractiveChart::isEmpty);
        return new Section("Training", charts, notes);
    }

    /** One line per selector: {@code field} averaged over its seeds and over windows of steps. */
    static InteractiveChart perSelector(Map<String, List<RunData>> groups, List<String> order, String field, String title) {
        InteractiveChart c = new InteractiveChart(title, MetricNames.of("step"), MetricNames.of(field));
        int width = 1;
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            width = bucketWidth(g.getValue());
            double[][] s = bucketMean(g.getValue(), field, width, line -> true);
            c.add(g.getKey(), "line", color(order, g.getKey()), s[0], s[1]);
        }
        return c.note(window(width));
    }

    static String window(int width) {
        return "Each point is the mean over a selector's seeds" + (width > 1 ? " and over a window of " + width + " steps" : "")
                + "; hover for values, drag to zoom, double-click to reset, click a legend entry to hide it.";
    }

    /** Steps per point, so a curve has at most about 200 points. */
    static int bucketWidth(List<RunData> runs) {
        double max = 1;
        for (RunData r : runs) {
            for (double s : MetricsFile.column(r.metrics().steps(), "step")) {
                if (Double.isFinite(s)) {
                    max = Math.max(max, s);
                }
            }
        }
        return (int) Math.max(1, Math.ceil(max / 200));
    }

    /** Bucket end steps and the mean of the finite values of {@code field} on the lines that pass {@code keep}. */
    static double[][] bucketMean(List<RunData> runs, String field, int width, Predicate<Map<String, Object>> keep) {
        return bucketMean(runs, width, line -> keep.test(line) && line.get(field) instanceof Number v ? v.doubleValue() : Double.NaN);
    }

    /** Bucket end steps and the mean, per bucket of {@code width} steps, of the finite values {@code value} gives the step lines. */
    private static double[][] bucketMean(List<RunData> runs, int width, ToDoubleFunction<Map<String, Object>> value) {
        TreeMap<Double, double[]> acc = new TreeMap<>();
        for (RunData r : runs) {
            for (Map<String, Object> line : r.metrics().steps()) {
                double v = value.applyAsDouble(line);
                if (line.get("step") instanceof Number n && Double.isFinite(v)) {
                    double[] a = acc.computeIfAbsent(Math.ceil(n.doubleValue() / width) * width, s -> new double[2]);
                    a[0] += v;
                    a[1]++;
                }
            }
        }
        double[][] out = new double[2][acc.size()];
        int k = 0;
        for (Map.Entry<Double, double[]> e : acc.entrySet()) {
            out[0][k] = e.getKey();
            out[1][k++] = e.getValue()[0] / e.getValue()[1];
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------
    // Curriculum, soft-Q
    // ----------------------------------------------------------------------------------------------

    private static Section curriculumSection(Map<String, List<RunData>> groups) {
        List<InteractiveChart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            TreeSet<String> sources = new TreeSet<>();
            g.getValue().forEach(r -> r.metrics().steps().forEach(s -> {
                if (s.get("selected_source") != null) {
                    sources.add(s.get("selected_source").toString());
                }
            }));
            if (sources.isEmpty()) {
                continue;
            }
            int width = Math.max(bucketWidth(g.getValue()) * 5, 1);
            InteractiveChart share = new InteractiveChart("Share of each source among the picks: " + g.getKey(),
                    MetricNames.of("step"), "share of the picked windows");
            InteractiveChart diff = new InteractiveChart("Difficulty of the picks per source: " + g.getKey(),
                    MetricNames.of("step"), MetricNames.of("selected_difficulty"));
            int i = 0;
            for (String src : sources) {
                String color = InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length];
                double[][] s = bucketShare(g.getValue(), src, width);
                share.add(src, "line", color, s[0], s[1]);
                double[][] d = bucketMean(g.getValue(), "selected_difficulty", width, l -> src.equals(String.valueOf(l.get("selected_source"))));
                diff.add(src, "line", color, d[0], d[1]);
            }
            charts.add(share.note("Per window of " + width + " steps (seeds pooled): the fraction of picked windows from "
                    + "each source. A uniform pick over an even mixture gives 1/" + sources.size() + " each."));
            if (!diff.isEmpty()) {
                charts.add(diff.note("Mean difficulty label of the picked windows of each source, per window of " + width
                        + " steps; sources are not averaged together, as their difficulty scales differ."));
            }
        }
        if (charts.isEmpty()) {
            notes.add("No source labels among the picked windows (field selected_source): no curriculum plots.");
        }
        return new Section("Curriculum", charts, notes);
    }

    /** Bucket end steps and the share of picks from {@code source} among the labelled picks in each bucket. */
    static double[][] bucketShare(List<RunData> runs, String source, int width) {
        return bucketMean(runs, width, line -> line.get("selected_source") == null ? Double.NaN
                : source.equals(line.get("selected_source").toString()) ? 1 : 0);
    }

    private static Section softQSection(List<RunData> runs, Map<String, List<RunData>> groups, List<String> order) {
        List<InteractiveChart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        InteractiveChart entropy = perSelector(groups, order, "policy_entropy_norm", "Soft-Q policy entropy / ln N");
        if (!entropy.isEmpty()) {
            entropy.reference("uniform policy (H = ln N)", 1.0);
            charts.add(entropy.note("1 means the policy spreads evenly over the N candidates; near 0 it always picks one. "
                    + window(bucketWidth(runs))));
        }
        InteractiveChart q = new InteractiveChart("Soft-Q Q-values: mean ± standard deviation over the candidates",
                MetricNames.of("step"), "Q (nats/token, the reward's scale)");
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            int width = bucketWidth(g.getValue());
            double[][] mean = bucketMean(g.getValue(), "q_mean", width, l -> true);
            double[][] std = bucketMean(g.getValue(), "q_std", width, l -> true);
            String color = color(order, g.getKey());
            if (c(q, g.getKey() + ": Q mean", "line", color, mean) && std[0].length == mean[0].length) {
                double[] lo = new double[mean[1].length];
                double[] hi = new double[mean[1].length];
                for (int k = 0; k < lo.length; k++) {
                    lo[k] = mean[1][k] - std[1][k];
                    hi[k] = mean[1][k] + std[1][k];
                }
                q.add(g.getKey() + ": mean − std", "lo", color, mean[0], lo);
                q.add(g.getKey() + ": mean + std", "hi", color, mean[0], hi);
            }
        }
        if (!q.isEmpty()) {
            charts.add(q.note("The shaded band (no legend entry) spans one standard deviation of Q over the candidates either side of the mean. "
                    + window(bucketWidth(runs))));
        }
        InteractiveChart td = perSelector(groups, order, "td_loss", "Soft-Q TD loss").logY();
        if (!td.isEmpty()) {
            charts.add(td);
        }
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            TreeSet<String> mass = new TreeSet<>();
            g.getValue().forEach(r -> r.metrics().steps().forEach(s -> s.keySet().stream()
                    .filter(k -> k.startsWith("policy_mass_")).forEach(mass::add)));
            if (mass.isEmpty()) {
                continue;
            }
            InteractiveChart m = new InteractiveChart("Soft-Q policy mass by source: " + g.getKey(), MetricNames.of("step"),
                    "policy mass (probability)");
            int i = 0;
            int width = bucketWidth(g.getValue());
            for (String f : mass) {
                c(m, MetricNames.of(f), "line", InteractiveChart.PALETTE[i++ % 10], bucketMean(g.getValue(), f, width, l -> true));
            }
            charts.add(m.note("The probability the policy puts on each source's candidates. " + window(width)));
        }
        if (charts.isEmpty()) {
            notes.add("No soft-Q fields (" + String.join(", ", CompareReport.SOFTQ_FIELDS) + ") in these runs' metrics: "
                    + "the exploration and Q-value plots are left out.");
        }
        return new Section("Soft-Q dynamics", charts, notes);
    }

    private static boolean c(InteractiveChart chart, String label, String kind, String color, double[][] xy) {
        return chart.add(label, kind, color, xy[0], xy[1]);
    }
}
