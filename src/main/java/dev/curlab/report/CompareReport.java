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
 * The self-contained interactive report.html of one or many runs (a compare directory, or run
 * directories named on the command line), rebuilt from their config.json and metrics.jsonl alone:
 * the sample-efficiency table and paired statistics, then the charts of {@link ReportSections}
 * drawn by uPlot (see {@link ReportPage}), the top- and bottom-valued candidate texts, and static
 * PNGs of the headline figures in figures/.
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

    /** report.html of one run directory, as {@code curlab report DIR} and {@code curlab train} write it; returns the file. */
    public static Path writeRun(Path dir) {
        List<RunData> runs = List.of(RunData.load(dir));
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return write(dir.resolve("report.html"), name == null ? dir.toString() : name.toString(), runs,
                EfficiencyTable.build(runs, Double.NaN), TaskCurves.build(runs).html());
    }

    /** Writes the report of {@code runs} with {@code table} to {@code out}. */
    public static Path write(Path out, String title, List<RunData> runs, EfficiencyTable table) {
        return write(out, title, runs, table, "");
    }

    /**
     * As above, with {@code extraHtml} (e.g. the paired statistics) after the tables. Next to the
     * report, figures/ gets the headline plots as PNG (eval loss vs examples and vs FLOPs).
     */
    public static Path write(Path out, String title, List<RunData> runs, EfficiencyTable table, String extraHtml) {
        List<String> notes = new ArrayList<>();
        String candidates = candidates(EfficiencyTable.bySelector(runs), notes);
        String html = ReportPage.html(title, table, extraHtml, ReportSections.build(runs, table), candidates, notes);
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(out, html, StandardCharsets.UTF_8);
            Path figures = Files.createDirectories(dir.resolve("figures"));
            Map<String, List<RunData>> groups = EfficiencyTable.bySelector(runs);
            Files.write(figures.resolve("eval_loss_examples.png"), evalFigure(groups, false, table));
            Files.write(figures.resolve("eval_loss_flops.png"), evalFigure(groups, true, table));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return out;
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

    /** The static PNG of eval loss vs examples or FLOPs: mean over seeds, lowest-highest band, target line. */
    static byte[] evalFigure(Map<String, List<RunData>> groups, boolean flopsAxis, EfficiencyTable table) {
        String title = flopsAxis ? "Eval loss vs estimated training FLOPs" : "Eval loss vs examples trained";
        XYChart c = Charts.lines(title, flopsAxis ? "training FLOPs (estimated)" : "examples trained", "eval loss (nats/token)");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double xMax = 0;
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
                        byStep.computeIfAbsent(steps[k], s -> new ArrayList<>()).add(new double[] {x[k], loss[k]});
                        xMax = Math.max(xMax, x[k]);
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
                XYSeries band = Charts.add(c, g.getKey() + " lowest-highest seed", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setShowInLegend(false);
            }
            XYSeries line = Charts.add(c, g.getKey() + (seeds > 1 ? " (mean of " + seeds + " seeds)" : ""), x, mean);
            line.setLineColor(color);
            line.setMarkerColor(color);
        }
        if (table.hasTarget() && xMax > 0) {
            XYSeries t = Charts.add(c, String.format(java.util.Locale.ROOT, "target %.3f", table.target()),
                    new double[] {0, xMax}, new double[] {table.target(), table.target()});
            t.setLineColor(Color.DARK_GRAY);
            t.setLineStyle(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        return Charts.png(c);
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
            sb.append("<h3>").append(Html.escape(g.getKey())).append(", seed ").append(r.seed()).append("</h3>");
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
                                    .append(Html.escape(String.valueOf(e.get("text")))).append("</code></td></tr>");
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
                    sb.append('<').append(tag).append('>').append(Html.escape(cell.trim())).append("</").append(tag).append('>');
                }
                sb.append("</tr>");
                header = false;
            } else {
                if (inTable) {
                    sb.append("</table>");
                    inTable = false;
                }
                if (!line.isBlank()) {
                    sb.append("<p>").append(Html.escape(line)).append("</p>");
                }
            }
        }
        if (inTable) {
            sb.append("</table>");
        }
        return sb.toString();
    }
}
