package dev.curlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one-file HTML page: tables, then each section's charts as empty boxes, the chart data as
 * embedded JSON, and uPlot (read from its webjar on the class path) with report.js inlined, so the
 * page needs no network and can be e-mailed.
 */
final class ReportPage {
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportPage() {
    }

    static String html(String title, EfficiencyTable table, String extraHtml, List<ReportSections.Section> sections,
            String candidates, List<String> notes) {
        StringBuilder h = head(title);
        h.append("<h2>Sample efficiency</h2>").append(CompareReport.markdownToHtml(table.markdown()));
        h.append("<h3>Runs</h3>").append(CompareReport.markdownToHtml(table.runsMarkdown()));
        h.append(extraHtml);
        List<Map<String, Object>> charts = sections(h, sections);
        h.append("<h2>Top- and bottom-valued candidates</h2>").append(candidates);
        for (String n : notes) {
            h.append("<p class=\"note\">").append(Html.escape(n)).append("</p>");
        }
        scripts(h, charts);
        return h.toString();
    }

    /** An RL run's or RL comparison's page: a table (HTML) and the chart sections. */
    static String rlHtml(String title, String tableHtml, List<ReportSections.Section> sections, List<String> notes) {
        StringBuilder h = head(title);
        h.append(tableHtml);
        List<Map<String, Object>> charts = sections(h, sections);
        for (String n : notes) {
            h.append("<p class=\"note\">").append(Html.escape(n)).append("</p>");
        }
        scripts(h, charts);
        return h.toString();
    }

    private static StringBuilder head(String title) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>curlab report: ").append(Html.escape(title))
                .append("</title><style>").append(resource(UPLOT + "uPlot.min.css"))
                .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
                        + "td:first-child{text-align:left}.note{color:#555;font-style:italic}pre{white-space:pre-wrap}"
                        + ".chart{min-height:380px;margin-bottom:1.5em}.logy{font-size:85%;color:#444}"
                        + ".u-legend .curlab-band{display:none}#curlab-errors{color:#b00}</style></head><body>");
        h.append("<h1>curlab report: ").append(Html.escape(title)).append("</h1>");
        // Any script error is written into the page, where a headless browser check reads it.
        h.append("<pre id=\"curlab-errors\"></pre><script>window.onerror=function(m,s,l){var e=document.getElementById("
                + "'curlab-errors');e.textContent+='JS error: '+m+' (line '+l+')\\n';e.setAttribute('data-errors','yes');};</script>");
        return h;
    }

    /** Each section's charts as empty boxes; returns their JSON, in page order. */
    private static List<Map<String, Object>> sections(StringBuilder h, List<ReportSections.Section> sections) {
        List<Map<String, Object>> charts = new ArrayList<>();
        for (ReportSections.Section s : sections) {
            h.append("<h2>").append(Html.escape(s.title())).append("</h2>");
            for (InteractiveChart c : s.charts()) {
                int i = charts.size();
                Map<String, Object> json = c.toJson();
                charts.add(json);
                h.append("<h3>").append(Html.escape(c.title())).append("</h3>");
                if (!json.get("note").toString().isEmpty()) {
                    h.append("<p class=\"note\">").append(Html.escape(json.get("note").toString())).append("</p>");
                }
                h.append("<label class=\"logy\"><input type=\"checkbox\" id=\"log-").append(i).append("\"> log y axis</label>")
                        .append("<div class=\"chart\" id=\"chart-").append(i).append("\"></div>");
            }
            for (String n : s.notes()) {
                h.append("<p class=\"note\">").append(Html.escape(n)).append("</p>");
            }
        }
        return charts;
    }

    /** The chart data as embedded JSON, uPlot and report.js, and the end of the page. */
    private static void scripts(StringBuilder h, List<Map<String, Object>> charts) {
        String data;
        try {
            data = JSON.writeValueAsString(Map.of("charts", charts)).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        h.append("<script type=\"application/json\" id=\"curlab-data\">").append(data).append("</script>");
        h.append("<script>").append(resource(UPLOT + "uPlot.iife.min.js")).append("</script>");
        h.append("<script>").append(resource("dev/curlab/report/report.js")).append("</script>");
        h.append("</body></html>\n");
    }

    /** A text resource from the class path (uPlot's webjar, report.js). */
    static String resource(String path) {
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (is the uPlot webjar on the class path?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
