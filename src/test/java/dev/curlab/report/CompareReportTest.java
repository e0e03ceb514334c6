package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareReportTest {
    @TempDir
    Path tmp;

    static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void oneInteractiveChartPerPromisedPlotAndHeadlinePngs() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 3, 2.5}, HandRuns.SOFTQ)));
        Path out = CompareReport.write(tmp.resolve("report.html"), "hand", runs, EfficiencyTable.build(runs, Double.NaN));
        assertTrue(GraphicsEnvironment.isHeadless());
        String html = Files.readString(out);
        // eval loss vs examples, FLOPs, wall time; train loss; reward; (LR constant: none);
        // per selector: source shares and difficulty per source (x 2); entropy, Q, TD loss, policy mass
        assertEquals(13, count(html, "<div class=\"chart\""));
        for (String title : List.of("Eval loss vs examples trained", "Eval loss vs training compute", "Eval loss vs wall time of the training steps",
                "Train loss on the picked windows", "Reward, absolute (held-out log-prob after the update)",
                "Share of each source among the picks: random", "Difficulty of the picks per source: soft-q",
                "Soft-Q policy entropy / ln N", "Soft-Q Q-values: mean ± standard deviation over the candidates", "Soft-Q TD loss",
                "Soft-Q policy mass by source: soft-q")) {
            assertTrue(html.contains("<h3>" + title + "</h3>"), title);
        }
        assertTrue(html.contains("The learning rate is constant at 0.001: no panel."));
        assertTrue(html.contains("policy mass on arithmetic"), "human metric names");
        assertFalse(html.contains("\"policy_mass_arithmetic\""));
        assertTrue(html.contains("the shaded band spans the lowest to the highest seed"));
        assertTrue(html.contains("uPlot"), "the charting library is inlined");
        assertFalse(html.contains("src=\"http"), "nothing is loaded from the network");
        assertTrue(html.contains("No candidate texts in the metrics"), "the skipped section says why");
        assertTrue(html.contains("eval_loss_&lt;source&gt;"), "the missing per-source eval loss is named");
        assertTrue(html.contains("<td>3 (1/2 reached)</td>"));
        for (String png : List.of("eval_loss_examples.png", "eval_loss_flops.png")) {
            byte[] b = Files.readAllBytes(tmp.resolve("figures").resolve(png));
            assertEquals((byte) 0x89, b[0], png);
            assertEquals('P', b[1], png);
        }
    }

    @Test
    void perSourceEvalLossIsOnePanelPerSourceAcrossSelectorsAndOnePanelForOneSelector() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "",
                        Map.of("arithmetic", new double[] {6, 5, 4}, "grammar", new double[] {4, 3, 2}))),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "",
                        Map.of("arithmetic", new double[] {6, 6, 5}, "grammar", new double[] {4, 3.5, 3}))),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 3, 2.5}, HandRuns.SOFTQ,
                        Map.of("arithmetic", new double[] {6, 4, 3}, "grammar", new double[] {4, 2, 2}))));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "src", runs, EfficiencyTable.build(runs, Double.NaN)));
        assertEquals(15, count(html, "<div class=\"chart\""), "13 as without sources, plus arithmetic and grammar");
        assertFalse(html.contains("carry no per-source loss"));
        String arithmetic = chartJson(html, "Eval loss on arithmetic");
        // random's two seeds on arithmetic: (6+6)/2, (5+6)/2, (4+5)/2, band from the lower to the higher seed
        assertTrue(arithmetic.contains("{\"label\":\"random (mean of 2 seeds)\",\"kind\":\"line\",\"color\":\"#1f77b4\","
                + "\"y\":[6.0,5.5,4.5]}"), arithmetic);
        assertTrue(arithmetic.contains("\"kind\":\"lo\",\"color\":\"#1f77b4\",\"y\":[6.0,5.0,4.0]"), arithmetic);
        assertTrue(arithmetic.contains("\"kind\":\"hi\",\"color\":\"#1f77b4\",\"y\":[6.0,6.0,5.0]"), arithmetic);
        assertTrue(arithmetic.contains("{\"label\":\"soft-q\",\"kind\":\"line\",\"color\":\"#ff7f0e\",\"y\":[6.0,4.0,3.0]}"),
                arithmetic);
        assertTrue(chartJson(html, "Eval loss on grammar").contains("\"y\":[4.0,2.0,2.0]"));

        String one = Files.readString(CompareReport.write(tmp.resolve("one.html"), "one", runs.subList(2, 3),
                EfficiencyTable.build(runs.subList(2, 3), Double.NaN)));
        String panel = chartJson(one, "Eval loss per source: soft-q");
        assertTrue(panel.contains("{\"label\":\"arithmetic\",\"kind\":\"line\",\"color\":\"#1f77b4\",\"y\":[6.0,4.0,3.0]}"), panel);
        assertTrue(panel.contains("{\"label\":\"grammar\",\"kind\":\"line\",\"color\":\"#ff7f0e\",\"y\":[4.0,2.0,2.0]}"), panel);
        assertFalse(one.contains("Eval loss on arithmetic"));
        assertTrue(one.contains("One run per selector: no seed band."));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTitleAxisAndLegendLabelIsAHumanName() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "", Map.of("arithmetic", new double[] {6, 5, 4}))),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "", Map.of("arithmetic", new double[] {6, 6, 5}))),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "paired-delta", new double[] {5, 3, 2.5}, HandRuns.SOFTQ,
                        Map.of("arithmetic", new double[] {6, 4, 3}))));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "names", runs, EfficiencyTable.build(runs, 3.5)));
        String json = html.substring(html.indexOf("id=\"curlab-data\">") + 17, html.indexOf("</script>", html.indexOf("id=\"curlab-data\">")));
        Map<String, Object> model = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.replace("<\\/", "</"), Map.class);
        int labels = 0;
        for (Object o : (List<Object>) model.get("charts")) {
            Map<String, Object> chart = (Map<String, Object>) o;
            List<String> names = new java.util.ArrayList<>(List.of(chart.get("title").toString(), chart.get("xLabel").toString(),
                    chart.get("yLabel").toString()));
            ((List<Map<String, Object>>) chart.get("series")).forEach(s -> names.add(s.get("label").toString()));
            for (String n : names) {
                assertFalse(n.matches(".*[a-z]_[a-z].*"), "a raw metric name in chart '" + chart.get("title") + "': " + n);
                labels++;
            }
        }
        assertTrue(labels > 60, "labels checked: " + labels);
    }

    /** The embedded JSON of the chart titled {@code title}. */
    static String chartJson(String html, String title) {
        String data = html.substring(html.indexOf("id=\"curlab-data\">"));
        int from = data.indexOf("{\"title\":\"" + title + "\"");
        assertTrue(from >= 0, "no chart " + title);
        return data.substring(from, data.indexOf("{\"title\":", from + 1) < 0 ? data.length() : data.indexOf("{\"title\":", from + 1));
    }

    @Test
    void withoutSoftQFieldsThoseFiguresAreLeftOutWithANote() throws Exception {
        List<RunData> runs = List.of(RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "one", runs, EfficiencyTable.build(runs, Double.NaN)));
        // eval loss x 3, train loss, reward, source shares, difficulty per source
        assertEquals(7, count(html, "<div class=\"chart\""));
        assertTrue(html.contains("No soft-Q fields"));
        assertFalse(html.contains("Soft-Q TD loss"));
    }

    @Test
    void targetLineAndCrossingsAreInTheChartData() throws Exception {
        List<RunData> runs = List.of(RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "t", runs, EfficiencyTable.build(runs, 3.5)));
        assertTrue(html.contains("\"label\":\"target eval loss 3.500\""), "target line");
        assertEquals(3, count(html, "\"label\":\"random reaches the target\""), "one crossing per eval chart");
        // eval loss 4 at 2 examples, 3 at 4: 3.5 is crossed half way, at 3 examples
        assertEquals(3.0, InteractiveChart.crossing(new double[] {0, 2, 4}, new double[] {5, 4, 3}, 3.5), 1e-12);
        assertTrue(Double.isNaN(InteractiveChart.crossing(new double[] {0, 2}, new double[] {5, 4}, 3.5)));
    }

    @Test
    void candidateTextsAreShownWhenTheMetricsCarryThem() throws Exception {
        String texts = ",\"top_candidates\":[{\"text\":\"12+7=19\",\"value\":-3.25}],"
                + "\"bottom_candidates\":[{\"text\":\"x<q#\",\"value\":-4.5}]";
        List<RunData> runs = List.of(RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 4, 3}, texts)));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "t", runs, EfficiencyTable.build(runs, 4.0)));
        assertTrue(html.contains("<code>12+7=19</code>"));
        assertTrue(html.contains("<code>x&lt;q#</code>"), "texts are escaped");
        assertTrue(html.contains("-3.2500"));
        assertFalse(html.contains("No candidate texts"));
    }

    @Test
    void rewardsOfDifferentKindsArePlottedInSeparatePanelsAndTheFootnoteSaysWhich() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "loss", 0, "absolute", new double[] {5, 4.5, 4}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "paired-delta", new double[] {5, 3, 2.5}, HandRuns.SOFTQ)));
        assertEquals("absolute", runs.get(0).reward());
        assertEquals("paired-delta", runs.get(2).reward());
        var byKind = CompareReport.byReward(runs);
        assertEquals(List.of("absolute", "paired-delta"), List.copyOf(byKind.keySet()));
        assertEquals(List.of("random", "loss"), List.copyOf(byKind.get("absolute").keySet()));
        assertEquals(List.of("soft-q"), List.copyOf(byKind.get("paired-delta").keySet()));

        EfficiencyTable table = EfficiencyTable.build(runs, Double.NaN);
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "mixed", runs, table));
        assertEquals(1, count(html, "<h3>Reward, absolute (held-out log-prob after the update)</h3>"));
        assertEquals(1, count(html, "<h3>Reward, paired-delta (held-out log-prob after minus before the update)</h3>"));
        assertEquals(0, count(html, "<h3>Reward</h3>"));
        assertTrue(table.markdown().contains("Reward: absolute for random, loss; paired-delta for soft-q"), table.markdown());
        assertTrue(table.markdown().contains("not comparable across kinds"), table.markdown());

        List<RunData> same = List.of(runs.get(2));
        assertTrue(EfficiencyTable.build(same, 3.0).markdown().contains("Reward: paired-delta for soft-q."));
        assertFalse(EfficiencyTable.build(same, 3.0).markdown().contains("not comparable"));
    }
}
