package dev.curlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report's per-source eval loss: the eval lines' {@code eval_loss_<source>} fields (the same
 * evaluation windows as {@code eval_loss}, split by their source tag) against examples trained. With
 * one selector, one panel with a line per source; with several, one panel per source with a line per
 * selector, so the selectors compare on each source. Lines are means over seeds with a lowest-highest band.
 */
final class SourceLossSection {
    static final String PREFIX = "eval_loss_";

    private SourceLossSection() {
    }

    static ReportSections.Section build(Map<String, List<RunData>> groups, List<String> order) {
        TreeSet<String> sources = new TreeSet<>();
        for (List<RunData> runs : groups.values()) {
            sources.addAll(sources(runs));
        }
        if (sources.isEmpty()) {
            return new ReportSections.Section("Eval loss per source", List.of(),
                    List.of("The eval lines carry no per-source loss (fields eval_loss_<source>, written when the evaluation "
                            + "windows have a source tag, as builtin:mixture's do): nothing to plot."));
        }
        List<InteractiveChart> charts = new ArrayList<>();
        boolean bands = groups.values().stream().anyMatch(r -> r.size() > 1);
        if (groups.size() == 1) {
            Map.Entry<String, List<RunData>> g = groups.entrySet().iterator().next();
            InteractiveChart c = chart("Eval loss per source: " + g.getKey());
            int i = 0;
            for (String source : sources) {
                add(c, source, InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length], g.getValue(), source);
            }
            charts.add(c.note("The loss of each source's evaluation windows, scored in the same pass as the eval loss "
                    + "(which is their mean weighted by each source's window count). " + caption(bands)));
        } else {
            for (String source : sources) {
                InteractiveChart c = chart("Eval loss on " + source);
                for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
                    add(c, g.getKey(), ReportSections.color(order, g.getKey()), g.getValue(), source);
                }
                charts.add(c.note("The evaluation windows of source " + source + ", scored in the same pass as the eval loss. "
                        + caption(bands)));
            }
        }
        return new ReportSections.Section("Eval loss per source", charts, List.of());
    }

    /** The sources named by the eval lines' {@code eval_loss_<source>} fields of {@code runs}. */
    static TreeSet<String> sources(List<RunData> runs) {
        TreeSet<String> out = new TreeSet<>();
        for (RunData r : runs) {
            for (Map<String, Object> e : r.metrics().evals()) {
                for (String k : e.keySet()) {
                    if (k.startsWith(PREFIX) && e.get(k) instanceof Number) {
                        out.add(k.substring(PREFIX.length()));
                    }
                }
            }
        }
        return out;
    }

    private static InteractiveChart chart(String title) {
        return new InteractiveChart(title, MetricNames.of("examples_trained"), MetricNames.of("eval_loss"));
    }

    /** A mean line over the runs' seeds, and with several seeds its lowest-highest band. */
    private static void add(InteractiveChart c, String label, String color, List<RunData> runs, String source) {
        double[][] s = ReportSections.evalCurve(runs, "examples", PREFIX + source);
        int seeds = runs.size();
        c.add(label + (seeds > 1 ? " (mean of " + seeds + " seeds)" : ""), "line", color, s[0], s[1]);
        if (seeds > 1) {
            c.add(label + ": lowest seed", "lo", color, s[0], s[2]);
            c.add(label + ": highest seed", "hi", color, s[0], s[3]);
        }
    }

    private static String caption(boolean bands) {
        return bands ? "Each line is the mean over a selector's seeds; " + ReportSections.BAND + "."
                : "One run per selector: no seed band.";
    }
}
