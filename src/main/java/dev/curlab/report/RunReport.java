package dev.curlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * One run's self-contained report.html, rebuilt from metrics.jsonl alone: eval perplexity against
 * examples trained, training loss and reward, the learning rate, and the curriculum (share of each
 * source and mean difficulty among the selected examples over time).
 */
public final class RunReport {
    private RunReport() {
    }

    /** A titled figure. */
    public record Figure(String title, byte[] png) {
    }

    public static Path write(Path runDir) {
        MetricsFile m = MetricsFile.read(runDir.resolve("metrics.jsonl"));
        List<Figure> figures = figures(m);
        Path out = runDir.resolve("report.html");
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>curlab report: ")
                .append(escape(runDir.getFileName().toString())).append("</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto}"
                        + "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}</style></head><body>");
        html.append("<h1>curlab run ").append(escape(runDir.getFileName().toString())).append("</h1>");
        if (!m.evals().isEmpty()) {
            Map<String, Object> first = m.evals().get(0);
            Map<String, Object> last = m.evals().get(m.evals().size() - 1);
            html.append("<p>Eval perplexity ").append(fmt(first.get("eval_ppl"))).append(" at ")
                    .append(first.get("examples_trained")).append(" examples &rarr; ").append(fmt(last.get("eval_ppl")))
                    .append(" at ").append(last.get("examples_trained")).append(" examples (")
                    .append(m.steps().size()).append(" steps).</p>");
        }
        for (Figure f : figures) {
            html.append("<h2>").append(escape(f.title())).append("</h2><img alt=\"").append(escape(f.title()))
                    .append("\" src=\"").append(Charts.dataUri(f.png())).append("\">");
        }
        html.append("</body></html>\n");
        try {
            Files.writeString(out, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return out;
    }

    static List<Figure> figures(MetricsFile m) {
        List<Figure> out = new ArrayList<>();
        XYChart ppl = Charts.lines("Eval perplexity vs examples trained", "examples trained", "eval perplexity");
        Charts.add(ppl, "eval ppl", MetricsFile.column(m.evals(), "examples_trained"), MetricsFile.column(m.evals(), "eval_ppl"));
        out.add(new Figure("Eval perplexity vs examples trained", Charts.png(ppl)));

        double[] step = MetricsFile.column(m.steps(), "step");
        XYChart loss = Charts.lines("Training loss and reward (EMA 0.02)", "step", "nats / token");
        Charts.add(loss, "train loss", step, Charts.ema(MetricsFile.column(m.steps(), "train_loss"), 0.02));
        Charts.add(loss, "-reward (held-out loss)", step, Charts.ema(negate(MetricsFile.column(m.steps(), "reward")), 0.02));
        out.add(new Figure("Training loss and reward", Charts.png(loss)));

        XYChart lr = Charts.lines("Learning rate", "step", "lr");
        Charts.add(lr, "lr", step, MetricsFile.column(m.steps(), "lr"));
        out.add(new Figure("Learning rate", Charts.png(lr)));

        XYChart sources = sourceShares(m.steps());
        out.add(new Figure("Curriculum: share of each source among selected examples", Charts.png(sources)));

        XYChart diff = Charts.lines("Mean difficulty of selected examples (window of 50 steps)", "step", "difficulty");
        Charts.add(diff, "difficulty", step, rollingMean(MetricsFile.column(m.steps(), "selected_difficulty"), 50));
        out.add(new Figure("Curriculum: mean selected difficulty", Charts.png(diff)));
        return out;
    }

    /** Stacked area of source shares among selections, in buckets of steps. */
    static XYChart sourceShares(List<Map<String, Object>> steps) {
        XYChart c = Charts.lines("Share of each source among selected examples", "step", "share");
        TreeSet<String> names = new TreeSet<>();
        for (Map<String, Object> s : steps) {
            Object src = s.get("selected_source");
            if (src != null) {
                names.add(src.toString());
            }
        }
        int buckets = Math.max(1, Math.min(40, steps.size() / 10));
        int per = Math.max(1, (int) Math.ceil(steps.size() / (double) buckets));
        double[] x = new double[buckets];
        Map<String, double[]> share = new LinkedHashMap<>();
        for (String n : names) {
            share.put(n, new double[buckets]);
        }
        for (int b = 0; b < buckets; b++) {
            int from = b * per;
            int to = Math.min(steps.size(), from + per);
            x[b] = to;
            for (int i = from; i < to; i++) {
                Object src = steps.get(i).get("selected_source");
                if (src != null) {
                    share.get(src.toString())[b] += 1.0 / Math.max(1, to - from);
                }
            }
        }
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        // Stack: each series is the running sum; the tallest is added first so the lower ones draw on top.
        double[] cumulative = new double[buckets];
        List<String> order = new ArrayList<>(share.keySet());
        List<double[]> stacked = new ArrayList<>();
        for (String n : order) {
            double[] s = share.get(n);
            for (int b = 0; b < buckets; b++) {
                cumulative[b] += s[b];
            }
            stacked.add(cumulative.clone());
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Charts.add(c, order.get(i), x, stacked.get(i));
        }
        if (names.isEmpty()) {
            Charts.add(c, "(no source labels)", new double[] {0}, new double[] {0});
        }
        return c;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    static double[] rollingMean(double[] v, int window) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            int n = 0;
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                if (Double.isFinite(v[j])) {
                    s += v[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : s / n;
        }
        return out;
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format("%.3f", n.doubleValue()) : String.valueOf(v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
