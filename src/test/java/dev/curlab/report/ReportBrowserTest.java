package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reader's browser shows it: headless Chromium loads the generated file, runs its
 * scripts, and the test reads back the DOM. Skipped where /usr/bin/chromium is not installed.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    /** The DOM after the page's scripts ran, and Chromium's log (console errors land there). */
    record Render(String dom, String log) {
    }

    Render render(Path html) throws Exception {
        Path profile = Files.createDirectories(tmp.resolve("profile-" + System.nanoTime()));
        Path log = tmp.resolve("chromium.log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString())
                .redirectError(log.toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Render(dom, Files.readString(log));
    }

    static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyChartDrawsWithoutAScriptError() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: browser check skipped");
        String texts = ",\"top_candidates\":[{\"text\":\"12+7=19 </script>\",\"value\":-3.25}]";
        Map<String, double[]> bySource = Map.of("arithmetic", new double[] {6, 5, 4}, "grammar", new double[] {4, 3, 2});
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "", bySource)),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "", bySource)),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "paired-delta", new double[] {5, 3, 2.5}, HandRuns.SOFTQ + texts, bySource)));
        Path out = CompareReport.write(tmp.resolve("report.html"), "browser", runs, EfficiencyTable.build(runs, 3.5));
        String html = Files.readString(out);
        int charts = count(html, "<div class=\"chart\"");
        assertTrue(charts >= 16, "charts: " + charts);
        int bandEdges = count(html, "\"kind\":\"(lo|hi)\"");
        assertTrue(bandEdges >= 12, "seed bands on eval loss x 3 and per source x 2, Q band: " + bandEdges);

        Render r = render(out);
        assertFalse(r.dom().contains("data-errors=\"yes\""), r.dom().replaceAll("(?s)<script.*?</script>", ""));
        assertFalse(r.log().contains("Uncaught"), r.log());
        assertTrue(r.dom().contains("data-charts-done=\"" + charts + "\""), "report.js ran to its end");
        assertEquals(charts, count(r.dom(), "<div class=\"chart\" id=\"chart-\\d+\" data-drawn=\"yes\""), "every chart drew");
        assertEquals(charts, count(r.dom(), "<canvas width=\"[1-9]"), "every chart has a non-empty canvas");
        // Band edges are in the chart but their legend rows carry the class the page's CSS hides.
        assertEquals(bandEdges, count(r.dom(), "<tr class=\"u-series curlab-band"), "band rows hidden from the legend");
    }

    /** An RL run directory written by hand: curator, seed and the step and eval lines given. */
    static Path rlRun(Path root, String curator, int seed, List<String> steps) throws Exception {
        Path dir = Files.createDirectories(root.resolve(curator + "-seed" + seed));
        Files.writeString(dir.resolve("config.json"), "{\"config\":{\"tasks\":\"builtin:arith\",\"curator\":\"" + curator
                + "\",\"seed\":" + seed + ",\"batch\":4,\"candidates\":16}}");
        StringBuilder m = new StringBuilder();
        for (int k = 0; k <= 30; k += 10) {
            m.append("{\"kind\":\"eval\",\"step\":").append(k).append(",\"rollouts\":").append(k * 16)
                    .append(",\"heldout_accuracy\":").append(0.3 + 0.002 * k + 0.01 * seed).append(",\"flops_total\":").append(k * 1e9).append("}\n");
        }
        for (String line : steps) {
            m.append(line).append("\n");
        }
        Files.writeString(dir.resolve("metrics.jsonl"), m.toString());
        return dir;
    }

    @Test
    void everyRlChartDrawsIncludingTheCuratorsStructure() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: browser check skipped");
        List<Path> dirs = new java.util.ArrayList<>();
        for (String curator : List.of("uniform", "curator", "alp-gmm")) {
            for (int seed = 0; seed < 2; seed++) {
                List<String> steps = new java.util.ArrayList<>();
                for (int k = 1; k <= 30; k++) {
                    String extra = switch (curator) {
                        case "curator" -> ",\"curator_entropy\":" + (2.7 - 0.02 * k) + ",\"curator_logit_sd\":" + (0.1 + 0.01 * k);
                        case "alp-gmm" -> k % 10 == 0 ? ",\"alpgmm_map\":[{\"weight\":0.7,\"mean\":[0.0,0.25,0.8]},"
                                + "{\"weight\":0.3,\"mean\":[1.0,0." + (5 + seed) + ",0.2]}]" : "";
                        default -> "";
                    };
                    steps.add("{\"kind\":\"step\",\"step\":" + k + ",\"rollouts\":" + 16 * k + ",\"zero_variance_groups\":" + (k % 3)
                            + ",\"picked_buckets\":{\"add{digits=" + (1 + k % 3) + ".0}\":4}" + extra + "}");
                }
                dirs.add(rlRun(tmp.resolve("rl"), curator, seed, steps));
            }
        }
        Path out = RlReport.write(tmp.resolve("rl-report.html"), "rl browser", dirs);
        String html = Files.readString(out);
        int charts = count(html, "<div class=\"chart\"");
        assertEquals(6, charts, "pass@1, zero variance, difficulty, entropy, spread, ALP map");
        Render r = render(out);
        assertFalse(r.dom().contains("data-errors=\"yes\""), r.dom().replaceAll("(?s)<script.*?</script>", ""));
        assertFalse(r.log().contains("Uncaught"), r.log());
        assertEquals(charts, count(r.dom(), "<div class=\"chart\" id=\"chart-\\d+\" data-drawn=\"yes\""), "every chart drew");
        assertEquals(charts, count(r.dom(), "<canvas width=\"[1-9]"), "every chart has a non-empty canvas");
    }

    @Test
    void aBrokenScriptIsCaught() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: browser check skipped");
        List<RunData> runs = List.of(RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")));
        Path out = CompareReport.write(tmp.resolve("report.html"), "broken", runs, EfficiencyTable.build(runs, Double.NaN));
        Files.writeString(out, Files.readString(out).replace("new uPlot(", "new uPlotMissing("));
        Render r = render(out);
        assertTrue(r.dom().contains("data-errors=\"yes\""), "the page records the error");
        assertTrue(r.dom().contains("uPlotMissing is not defined"));
    }
}
