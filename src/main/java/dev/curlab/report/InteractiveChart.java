package dev.curlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One chart of the interactive report, as the JSON that report.js hands to uPlot: a shared x
 * column (the union of every series' x) and one y column per series, null where a series has no
 * point. Series kinds: "line", "ref" (a dashed reference line), "point" (markers only), and "lo" /
 * "hi" (the edges of a shaded band, paired with the line added just before them).
 */
final class InteractiveChart {
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};

    private record Series(String label, String kind, String color, TreeMap<Double, Double> points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private String note = "";
    private boolean logY;
    private final List<Series> series = new ArrayList<>();

    InteractiveChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    InteractiveChart note(String text) {
        this.note = text;
        return this;
    }

    /** Starts on a log y axis (the reader can switch). */
    InteractiveChart logY() {
        this.logY = true;
        return this;
    }

    /** Adds a series; non-finite points are dropped. Returns false when nothing finite was left. */
    boolean add(String label, String kind, String color, double[] x, double[] y) {
        TreeMap<Double, Double> pts = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                pts.put(x[i], y[i]);
            }
        }
        if (pts.isEmpty()) {
            return false;
        }
        series.add(new Series(label, kind, color, pts));
        return true;
    }

    /** A horizontal reference line across the x range of the series added so far. */
    void reference(String label, double y) {
        TreeSet<Double> xs = xs();
        if (!xs.isEmpty()) {
            add(label, "ref", "#444444", new double[] {xs.first(), xs.last()}, new double[] {y, y});
        }
    }

    boolean isEmpty() {
        return series.stream().noneMatch(s -> !s.kind().equals("ref"));
    }

    String title() {
        return title;
    }

    private TreeSet<Double> xs() {
        TreeSet<Double> xs = new TreeSet<>();
        for (Series s : series) {
            xs.addAll(s.points().keySet());
        }
        return xs;
    }

    /** The JSON-ready map: title, note, axis labels, x, and the series with their y columns. */
    Map<String, Object> toJson() {
        List<Double> x = new ArrayList<>(xs());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Series s : series) {
            List<Double> y = new ArrayList<>(x.size());
            for (Double v : x) {
                y.add(s.points().get(v));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", s.label());
            m.put("kind", s.kind());
            m.put("color", s.color());
            m.put("y", y);
            out.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("note", note);
        m.put("xLabel", xLabel);
        m.put("yLabel", yLabel);
        m.put("logY", logY);
        m.put("x", x);
        m.put("series", out);
        return m;
    }

    /**
     * The first x at which a curve falls to {@code target} or below, linearly interpolated between
     * its points; NaN when it never does.
     */
    static double crossing(double[] x, double[] y, double target) {
        for (int i = 0; i < x.length; i++) {
            if (y[i] <= target) {
                if (i == 0) {
                    return x[0];
                }
                double f = (y[i - 1] - target) / (y[i - 1] - y[i]);
                return x[i - 1] + f * (x[i] - x[i - 1]);
            }
        }
        return Double.NaN;
    }
}
