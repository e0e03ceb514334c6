package dev.curlab.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The self-contained report.html of one or many runs (a compare directory, or run directories
 * named on the command line), rebuilt from their config.json and metrics.jsonl alone: the
 * sample-efficiency table, eval perplexity against examples trained and against training FLOPs
 * (mean over seeds with a min–max band), the soft-Q dynamics when the runs log them, the reward,
 * and the curriculum (source shares and mean difficulty of the selected examples, next to the LR).
 */
public final class CompareReport {
    static final String[] SOFTQ_FIELDS = {"policy_entropy_norm", "q_mean", "q_std", "td_loss"};
    static final String TOP = "top_candidates";
    static final String BOTTOM = "bottom_candidates";
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private CompareReport() {
    }

    /** Figures plus the notes on sections left out for want of data. */
    record Content(List<RunReport.Figure> figures, List<String> notes, String candidatesHtml) {
    }

    /** Writes the report of {@code runs} with {@code table} to {@code out}. */
    public static Path write(Path out, String title, List<RunData> runs, EfficiencyTable table) {
        return write(out, title, runs, table, "");
    }

    /** As above, with {@code extraHtml} (e.g. the paired statistics) after the tables. */
    public static Path write(Path out, String title, List<RunData> runs, EfficiencyTable table, String extraHtml) {
        Content c = content(runs);
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>curlab report: ").append(RunReport.escape(title))
                .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                        + "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}table{border-collapse:collapse;font-size:90%}"
                        + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}"
                        + ".note{color:#555;font-style:italic}pre{white-space:pre-wrap}</style></head><body>");
        html.append("<h1>curlab report: ").append(RunReport.escape(title)).append("</h1>");
        html.append("<h2>Sample efficiency</h2>").append(markdownToHtml(table.markdown()));
        html.append("<h3>Runs</h3>").append(markdownToHtml(table.runsMarkdown()));
        html.append(extraHtml);
        for (RunReport.Figure f : c.figures()) {
            html.append("<h2>").append(RunReport.escape(f.title())).append("</h2><img alt=\"").append(RunReport.escape(f.title()))
                    .append("\" src=\"").append(Charts.dataUri(f.png())).append("\">");
        }
        html.append("<h2>Top- and bottom-valued candidates</h2>").append(c.candidatesHtml());
        for (String n : c.notes()) {
            html.append("<p class=\"note\">").append(RunReport.escape(n)).append("</p>");
        }
        html.append("</body></html>\n");
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return out;
    }

    static Content content(List<RunData> runs) {
        Map<String, List<RunData>> groups = EfficiencyTable.bySelector(runs);
        List<RunReport.Figure> figs = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        figs.add(evalFigure(groups, false));
        figs.add(evalFigure(groups, true));

        if (any(runs, "policy_entropy_norm")) {
            figs.add(stepFigure(groups, "Soft-Q policy entropy / ln N", "H(pi) / ln N", List.of("policy_entropy_norm"), ""));
        }
        if (any(runs, "q_mean") || any(runs, "q_std")) {
            figs.add(stepFigure(groups, "Soft-Q Q-values: mean and std over the candidates", "Q", List.of("q_mean", "q_std"), ""));
        }
        if (any(runs, "td_loss")) {
            figs.add(stepFigure(groups, "Soft-Q TD loss", "1/2 (q - y)^2", List.of("td_loss"), ""));
        }
        if (!any(runs, "policy_entropy_norm") && !any(runs, "q_mean") && !any(runs, "td_loss")) {
            notes.add("No soft-Q fields (" + String.join(", ", SOFTQ_FIELDS) + ") in these runs' metrics: the exploration "
                    + "and Q-value plots are left out.");
        }
        // Absolute rewards (about -log V early) and paired deltas (near 0) are different quantities: one panel each.
        for (Map.Entry<String, Map<String, List<RunData>>> k : byReward(runs).entrySet()) {
            figs.add(stepFigure(k.getValue(), "Reward over steps, " + rewardLabel(k.getKey()), "reward (nats/token)",
                    List.of("reward"), ""));
        }

        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            if (g.getValue().stream().anyMatch(r -> r.has("selected_source"))) {
                figs.add(new RunReport.Figure("Curriculum of " + g.getKey() + ": share of each source among selected examples",
                        Charts.png(sourceShares(g.getKey(), g.getValue()))));
            }
        }
        if (!any(runs, "selected_source")) {
            notes.add("No source labels among the selected examples: the source-share plots are left out.");
        }
        if (anyNumber(runs, "selected_difficulty")) {
            figs.add(stepFigure(groups, "Curriculum: mean difficulty of the selected examples", "difficulty",
                    List.of("selected_difficulty"), ""));
        } else {
            notes.add("No difficulty labels among the selected examples: the difficulty plot is left out.");
        }
        figs.add(stepFigure(groups, "Learning rate", "lr", List.of("lr"), "raw"));

        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            List<String> mass = massFields(g.getValue());
            if (!mass.isEmpty()) {
                figs.add(stepFigure(Map.of(g.getKey(), g.getValue()), "Soft-Q policy mass by source: " + g.getKey(),
                        "policy mass", mass, ""));
            }
        }
        return new Content(figs, notes, candidates(groups, notes));
    }

    /** Runs grouped by reward kind (config.json's resolved.reward), then by selector, in order of first appearance. */
    static Map<String, Map<String, List<RunData>>> byReward(List<RunData> runs) {
        Map<String, Map<String, List<RunData>>> out = new java.util.LinkedHashMap<>();
        for (RunData r : runs) {
            out.computeIfAbsent(r.reward(), k -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(r.selector(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** A reward kind with what it measures. */
    static String rewardLabel(String kind) {
        return switch (kind) {
            case "absolute" -> "absolute (held-out log-prob after the update)";
            case "paired-delta" -> "paired-delta (held-out log-prob after minus before the update)";
            default -> kind;
        };
    }

    // ----------------------------------------------------------------------------------------------
    // Eval perplexity, mean over seeds with a min–max band
    // ----------------------------------------------------------------------------------------------

    static RunReport.Figure evalFigure(Map<String, List<RunData>> groups, boolean flopsAxis) {
        String title = flopsAxis ? "Eval perplexity vs estimated training FLOPs" : "Eval perplexity vs examples trained";
        XYChart c = Charts.lines(title, flopsAxis ? "training FLOPs (estimated)" : "examples trained", "eval perplexity (log scale)");
        c.getStyler().setYAxisLogarithmic(true);   // curricula differ by a few points late, after a fall from ~V
        int i = 0;
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            Color color = PALETTE[i++ % PALETTE.length];
            TreeMap<Double, List<double[]>> byStep = new TreeMap<>();
            for (RunData r : g.getValue()) {
                double[] steps = r.evalSteps();
                double[] x = flopsAxis ? r.evalTrainFlops() : r.evalExamples();
                double[] loss = r.evalLoss();
                for (int k = 0; k < steps.length; k++) {
                    if (Double.isFinite(loss[k])) {
                        byStep.computeIfAbsent(steps[k], s -> new ArrayList<>()).add(new double[] {x[k], Math.exp(loss[k])});
                    }
                }
            }
            int n = byStep.size();
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            int k = 0;
            int seeds = g.getValue().size();
            for (List<double[]> pts : byStep.values()) {
                lo[k] = Double.POSITIVE_INFINITY;
                hi[k] = Double.NEGATIVE_INFINITY;
                for (double[] p : pts) {
                    x[k] += p[0] / pts.size();
                    mean[k] += p[1] / pts.size();
                    lo[k] = Math.min(lo[k], p[1]);
                    hi[k] = Math.max(hi[k], p[1]);
                }
                k++;
            }
            if (seeds > 1 && n > 0) {
                double[] bx = new double[2 * n];
                double[] by = new double[2 * n];
                for (int j = 0; j < n; j++) {
                    bx[j] = x[j];
                    by[j] = hi[j];
                    bx[2 * n - 1 - j] = x[j];
                    by[2 * n - 1 - j] = lo[j];
                }
                XYSeries band = Charts.add(c, g.getKey() + " min-max", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setShowInLegend(false);
            }
            XYSeries line = Charts.add(c, g.getKey() + (seeds > 1 ? " (mean of " + seeds + " seeds)" : ""), x, mean);
            line.setLineColor(color);
            line.setMarkerColor(color);
        }
        return new RunReport.Figure(title, Charts.png(c));
    }

    // ----------------------------------------------------------------------------------------------
    // Per-step series, mean over seeds, smoothed
    // ----------------------------------------------------------------------------------------------

    /** One line per selector and field: the mean over seeds at each step, EMA-smoothed unless {@code mode} is "raw". */
    static RunReport.Figure stepFigure(Map<String, List<RunData>> groups, String title, String yTitle, List<String> fields, String mode) {
        XYChart c = Charts.lines(mode.equals("raw") ? title : title + " (EMA, mean over seeds)", "step", yTitle);
        int i = 0;
        int drawn = 0;
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            for (String f : fields) {
                if (g.getValue().stream().noneMatch(r -> r.has(f))) {
                    continue;
                }
                double[][] xy = meanByStep(g.getValue(), f);
                double alpha = Math.min(1.0, 20.0 / Math.max(1, xy[0].length));
                double[] y = mode.equals("raw") ? xy[1] : Charts.ema(xy[1], alpha);
                String name = groups.size() == 1 && fields.size() > 1 ? f : fields.size() == 1 ? g.getKey() : g.getKey() + " " + f;
                XYSeries s = Charts.add(c, name, xy[0], y);
                Color color = PALETTE[i++ % PALETTE.length];
                s.setLineColor(color);
                s.setMarkerColor(color);
                drawn++;
            }
        }
        if (drawn == 0) {
            Charts.add(c, "(no data)", new double[] {0}, new double[] {0});
        }
        return new RunReport.Figure(title, Charts.png(c));
    }

    /** Steps and the mean over runs of a numeric field at each step (runs without a finite value skipped). */
    static double[][] meanByStep(List<RunData> runs, String field) {
        TreeMap<Double, double[]> acc = new TreeMap<>();
        for (RunData r : runs) {
            double[] step = MetricsFile.column(r.metrics().steps(), "step");
            double[] v = MetricsFile.column(r.metrics().steps(), field);
            for (int k = 0; k < step.length; k++) {
                if (Double.isFinite(v[k])) {
                    double[] a = acc.computeIfAbsent(step[k], s -> new double[2]);
                    a[0] += v[k];
                    a[1]++;
                }
            }
        }
        double[][] out = new double[2][acc.size()];
        int k = 0;
        for (Map.Entry<Double, double[]> e : acc.entrySet()) {
            out[0][k] = e.getKey();
            out[1][k] = e.getValue()[0] / e.getValue()[1];
            k++;
        }
        return out;
    }

    /** Stacked area of source shares among the selected examples, pooled over seeds, in buckets of steps. */
    static XYChart sourceShares(String selector, List<RunData> runs) {
        TreeSet<String> names = new TreeSet<>();
        double maxStep = 1;
        for (RunData r : runs) {
            for (Map<String, Object> s : r.metrics().steps()) {
                if (s.get("selected_source") != null) {
                    names.add(s.get("selected_source").toString());
                }
                if (s.get("step") instanceof Number n) {
                    maxStep = Math.max(maxStep, n.doubleValue());
                }
            }
        }
        int buckets = (int) Math.max(1, Math.min(40, maxStep / 10));
        double[][] counts = new double[names.size()][buckets];
        double[] totals = new double[buckets];
        List<String> order = new ArrayList<>(names);
        for (RunData r : runs) {
            for (Map<String, Object> s : r.metrics().steps()) {
                if (s.get("step") instanceof Number n && s.get("selected_source") != null) {
                    int b = (int) Math.min(buckets - 1, Math.floor((n.doubleValue() - 1) * buckets / maxStep));
                    counts[order.indexOf(s.get("selected_source").toString())][Math.max(0, b)]++;
                    totals[Math.max(0, b)]++;
                }
            }
        }
        double[] x = new double[buckets + 1];                       // bucket edges; the last bucket repeats at the end
        for (int b = 0; b <= buckets; b++) {
            x[b] = b * maxStep / buckets;
        }
        XYChart c = Charts.lines("Share of each source among selected examples: " + selector
                + (runs.size() > 1 ? " (" + runs.size() + " seeds pooled)" : ""), "step", "share");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        // Stacked: each series is the running sum, the tallest added first so the lower ones draw on top.
        List<double[]> stacked = new ArrayList<>();
        double[] cumulative = new double[buckets + 1];
        for (double[] cnt : counts) {
            for (int b = 0; b <= buckets; b++) {
                int k = Math.min(b, buckets - 1);
                cumulative[b] += totals[k] == 0 ? 0 : cnt[k] / totals[k];
            }
            stacked.add(cumulative.clone());
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            XYSeries area = Charts.add(c, order.get(i), x, stacked.get(i));
            area.setFillColor(PALETTE[i % PALETTE.length]);
            area.setLineColor(PALETTE[i % PALETTE.length]);
            area.setMarkerColor(PALETTE[i % PALETTE.length]);
        }
        if (order.isEmpty()) {
            Charts.add(c, "(no source labels)", new double[] {0}, new double[] {0});
        }
        return c;
    }

    // ----------------------------------------------------------------------------------------------
    // Candidate texts
    // ----------------------------------------------------------------------------------------------

    /** Tables of top- and bottom-valued candidates at up to four points, where the metrics carry them. */
    @SuppressWarnings("unchecked")
    static String candidates(Map<String, List<RunData>> groups, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<RunData>> g : groups.entrySet()) {
            RunData r = g.getValue().get(0);
            List<Map<String, Object>> lines = r.metrics().steps().stream()
                    .filter(s -> s.get(TOP) instanceof List || s.get(BOTTOM) instanceof List).toList();
            if (lines.isEmpty()) {
                continue;
            }
            sb.append("<h3>").append(RunReport.escape(g.getKey())).append(", seed ").append(r.seed()).append("</h3>");
            int points = Math.min(4, lines.size());
            for (int p = 0; p < points; p++) {
                Map<String, Object> s = lines.get(points == 1 ? 0 : p * (lines.size() - 1) / (points - 1));
                sb.append("<h4>step ").append(s.get("step")).append("</h4><table><tr><th>rank</th><th>value</th><th>text</th></tr>");
                for (String key : List.of(TOP, BOTTOM)) {
                    if (s.get(key) instanceof List<?> list) {
                        int rank = 0;
                        for (Object o : list) {
                            rank++;
                            Map<String, Object> e = o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("text", String.valueOf(o));
                            Object v = e.containsKey("value") ? e.get("value") : e.get("q");
                            sb.append("<tr><td>").append(key.equals(TOP) ? "top " : "bottom ").append(rank).append("</td><td>")
                                    .append(v instanceof Number n ? String.format(java.util.Locale.ROOT, "%.4f", n.doubleValue()) : "")
                                    .append("</td><td style=\"text-align:left\"><code>")
                                    .append(RunReport.escape(String.valueOf(e.get("text")))).append("</code></td></tr>");
                        }
                    }
                }
                sb.append("</table>");
            }
        }
        if (sb.length() == 0) {
            notes.add("No candidate texts in the metrics (step fields " + TOP + " / " + BOTTOM
                    + " absent): the top- and bottom-valued candidates section is skipped.");
            return "<p class=\"note\">Skipped: the metrics carry no candidate texts.</p>";
        }
        return sb.toString();
    }

    // ----------------------------------------------------------------------------------------------

    private static boolean any(List<RunData> runs, String field) {
        return runs.stream().anyMatch(r -> r.has(field));
    }

    private static boolean anyNumber(List<RunData> runs, String field) {
        for (RunData r : runs) {
            for (double v : MetricsFile.column(r.metrics().steps(), field)) {
                if (Double.isFinite(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> massFields(List<RunData> runs) {
        TreeSet<String> out = new TreeSet<>();
        for (RunData r : runs) {
            for (Map<String, Object> s : r.metrics().steps()) {
                for (String k : s.keySet()) {
                    if (k.startsWith("policy_mass_")) {
                        out.add(k);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Markdown tables to HTML tables; other lines become paragraphs. */
    static String markdownToHtml(String md) {
        StringBuilder sb = new StringBuilder();
        boolean inTable = false;
        boolean header = false;
        for (String line : md.split("\n")) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                if (!inTable) {
                    sb.append("<table>");
                    inTable = true;
                    header = true;
                }
                if (cells.length > 0 && cells[0].trim().equals("---")) {
                    continue;
                }
                sb.append("<tr>");
                for (String cell : cells) {
                    String tag = header ? "th" : "td";
                    sb.append('<').append(tag).append('>').append(RunReport.escape(cell.trim())).append("</").append(tag).append('>');
                }
                sb.append("</tr>");
                header = false;
            } else {
                if (inTable) {
                    sb.append("</table>");
                    inTable = false;
                }
                if (!line.isBlank()) {
                    sb.append("<p>").append(RunReport.escape(line)).append("</p>");
                }
            }
        }
        if (inTable) {
            sb.append("</table>");
        }
        return sb.toString();
    }
}
