package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void rendersHeadlessWithOneImagePerPromisedPlot() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 3, 2.5}, HandRuns.SOFTQ)));
        Path out = CompareReport.write(tmp.resolve("report.html"), "hand", runs, EfficiencyTable.build(runs, Double.NaN));
        assertTrue(GraphicsEnvironment.isHeadless());
        String html = Files.readString(out);
        // ppl vs examples, ppl vs FLOPs, entropy, Q mean/std, TD loss, reward,
        // source shares x 2 selectors, difficulty, LR, soft-q policy mass by source
        assertEquals(11, count(html, "<img"), html.replaceAll("base64,[A-Za-z0-9+/=]+", ""));
        assertEquals(11, count(html, "src=\"data:image/png;base64,"));
        for (String title : List.of("Eval perplexity vs examples trained", "Eval perplexity vs estimated training FLOPs",
                "Soft-Q policy entropy / ln N", "Soft-Q Q-values: mean and std over the candidates", "Soft-Q TD loss",
                "Reward over steps, absolute (held-out log-prob after the update)", "Curriculum of random: share of each source among selected examples",
                "Curriculum of soft-q: share of each source among selected examples",
                "Curriculum: mean difficulty of the selected examples", "Learning rate", "Soft-Q policy mass by source: soft-q")) {
            assertTrue(html.contains("<h2>" + title + "</h2><img"), title);
        }
        assertTrue(html.contains("No candidate texts in the metrics"), "the skipped section says why");
        assertTrue(html.contains("<td>3 (1/2 reached)</td>"));
    }

    @Test
    void withoutSoftQFieldsThoseFiguresAreLeftOutWithANote() throws Exception {
        List<RunData> runs = List.of(RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")));
        String html = Files.readString(CompareReport.write(tmp.resolve("r.html"), "one", runs, EfficiencyTable.build(runs, Double.NaN)));
        // ppl vs examples, ppl vs FLOPs, reward, source shares, difficulty, LR
        assertEquals(6, count(html, "<img"));
        assertTrue(html.contains("No soft-Q fields"));
        assertFalse(html.contains("Soft-Q TD loss"));
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
        assertEquals(1, count(html, "<h2>Reward over steps, absolute (held-out log-prob after the update)</h2><img"));
        assertEquals(1, count(html, "<h2>Reward over steps, paired-delta (held-out log-prob after minus before the update)</h2><img"));
        assertEquals(0, count(html, "<h2>Reward over steps</h2>"));
        assertTrue(table.markdown().contains("Reward: absolute for random, loss; paired-delta for soft-q"), table.markdown());
        assertTrue(table.markdown().contains("not comparable across kinds"), table.markdown());

        List<RunData> same = List.of(runs.get(2));
        assertTrue(EfficiencyTable.build(same, 3.0).markdown().contains("Reward: paired-delta for soft-q."));
        assertFalse(EfficiencyTable.build(same, 3.0).markdown().contains("not comparable"));
    }
}
