package dev.curlab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * report.html of RL runs ({@code curlab rl}, {@code rl-compare}), from their config.json and
 * metrics.jsonl alone: a table per run, then held-out pass@1 against rollouts generated (and sampled
 * pass@k, when the runs measured it), the share of zero-variance groups over steps, and the mean
 * difficulty parameter of the picked problems over steps, one series per curator (the mean over its seeds).
 */
public final class RlReport {
    /** Steps per point of the zero-variance and difficulty curves. */
    static final int WINDOW = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("=(-?[0-9.]+)");

    private RlReport() {
    }

    /** One RL run's files: its curator, seed, batch B, the k of its pass@k (0 = not measured) and metrics. */
    record Run(Path dir, String curator, long seed, int batch, int candidates, int passK, MetricsFile metrics) {
    }

    /** True when {@code dir} holds an RL run (its config.json has an RL config, i.e. a {@code tasks} field). */
    public static boolean isRlRun(Path dir) {
        Path f = dir.resolve("config.json");
        if (!Files.isRegularFile(f) || !Files.isRegularFile(dir.resolve("metrics.jsonl"))) {
            return false;
        }
        try {
            return JSON.readValue(f.toFile(), Map.class).get("config") instanceof Map<?, ?> c && c.containsKey("tasks");
        } catch (IOException e) {
            return false;
        }
    }

    static Run load(Path dir) {
        try {
            Map<?, ?> c = (Map<?, ?>) JSON.readValue(dir.resolve("config.json").toFile(), Map.class).get("config");
            int k = c.get("passK") instanceof Number n ? n.intValue() : 0;      // runs from before --pass-k record none
            return new Run(dir, String.valueOf(c.get("curator")), ((Number) c.get("seed")).longValue(), ((Number) c.get("batch")).intValue(),
                    ((Number) c.get("candidates")).intValue(), k, MetricsFile.read(dir.resolve("metrics.jsonl")));
        } catch (IOException | RuntimeException e) {
            throw new UserError(dir.resolve("config.json") + ": not a readable RL run config (" + e.getMessage() + ")");
        }
    }

    /** Writes report.html for the RL runs in {@code dirs} to {@code file}; returns it. */
    public static Path write(Path file, String title, List<Path> dirs) {
        List<Run> runs = new ArrayList<>();
        for (Path d : dirs) {
            runs.add(load(d));
        }
        String passAtK = runs.stream().anyMatch(r -> r.passK() > 0) ? "Sampled pass@k (--pass-k) is the unbiased estimator of Chen et al. "
                + "2021 from n completions of each held-out problem at the rollout temperature. " : "";
        String html = ReportPage.rlHtml(title, table(runs), List.of(new ReportSections.Section("RL post-training", charts(runs), List.of())),
                List.of("Held-out pass@1 is greedy, on the bank's fixed held-out set; each curve is the mean over a curator's seeds. "
                        + passAtK + "Zero-variance share and pick difficulty are means over windows of " + WINDOW + " steps."));
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The charts, one series per curator (in first-seen order); pass@k's only when a run measured it. */
    static List<InteractiveChart> charts(List<Run> runs) {
        Map<String, List<Run>> byCurator = new LinkedHashMap<>();
        for (Run r : runs) {
            byCurator.computeIfAbsent(r.curator(), k -> new ArrayList<>()).add(r);
        }
        InteractiveChart acc = new InteractiveChart("Held-out pass@1 against rollouts generated", "rollouts", "pass@1")
                .note("Rollouts generated: every training rollout, filtered or not, and a curator's probe rollouts.");
        InteractiveChart zero = new InteractiveChart("Share of zero-variance groups over steps", "step", "zero-variance share");
        InteractiveChart diff = new InteractiveChart("Difficulty of the picked problems over steps", "step", "mean parameter of picks")
                .note("The mean of each pick's recorded parameter (digits or length); problems without one are left out.");
        int i = 0;
        for (Map.Entry<String, List<Run>> e : byCurator.entrySet()) {
            String color = InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length];
            String label = e.getKey() + " (" + e.getValue().size() + (e.getValue().size() == 1 ? " run)" : " runs)");
            List<double[][]> a = new ArrayList<>();
            List<double[][]> z = new ArrayList<>();
            List<double[][]> d = new ArrayList<>();
            for (Run r : e.getValue()) {
                a.add(new double[][] {MetricsFile.column(r.metrics().evals(), rolloutsKey(r)),
                    MetricsFile.column(r.metrics().evals(), "heldout_accuracy")});
                z.add(windowed(r.metrics().steps(), s -> num(s, "zero_variance_groups") / r.batch()));
                d.add(windowed(r.metrics().steps(), RlReport::meanPickParameter));
            }
            acc.add(label, "line", color, mean(a)[0], mean(a)[1]);
            zero.add(label, "line", color, mean(z)[0], mean(z)[1]);
            diff.add(label, "line", color, mean(d)[0], mean(d)[1]);
        }
        List<InteractiveChart> out = new ArrayList<>(List.of(acc));
        InteractiveChart passAtK = passAtKChart(byCurator);
        if (passAtK != null) {
            out.add(passAtK);
        }
        out.addAll(List.of(zero, diff));
        for (InteractiveChart c : List.of(curatorChart(byCurator, ENTROPY), curatorChart(byCurator, SPREAD), alpMapChart(runs))) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** What a curator-structure chart reads from a step line: a value, or NaN where the curator logs none. */
    private record StepValue(String title, String yLabel, String note, java.util.function.ToDoubleBiFunction<Run, Map<String, Object>> f) {
    }

    /** The curator's sampling entropy over its choices, over its maximum (1 = uniform). */
    static final StepValue ENTROPY = new StepValue("The curator's sampling entropy over steps (1 = uniform)", "entropy / its maximum",
            "curator: its distribution's entropy over ln N candidates; bandit-adv: over ln of the arms present; soft-q: its "
                    + "policy's normalised entropy. uniform, the learnability variants, mopps, greso, dapo, band and alp-gmm log none.",
            (r, m) -> {
                if (m.get("curator_policy_entropy_norm") instanceof Number n) {
                    return n.doubleValue();
                }
                if (m.get("curator_entropy") instanceof Number n) {
                    return n.doubleValue() / Math.log(r.candidates());
                }
                double arms = num(m, "bandit_arms_present");
                return m.get("bandit_entropy") instanceof Number n && arms > 1 ? n.doubleValue() / Math.log(arms) : Double.NaN;
            });

    /** The spread of the curator's scores over a step's candidates. */
    static final StepValue SPREAD = new StepValue("Spread of the curator's scores over the candidates", "standard deviation",
            "curator: of its logits; soft-q: of its Q-values (the two are on different scales).",
            (r, m) -> m.get("curator_logit_sd") instanceof Number n ? n.doubleValue() : num(m, "curator_q_std"));

    /** A windowed curve of {@code v} per curator (mean over its seeds), for the curators that log it. */
    static InteractiveChart curatorChart(Map<String, List<Run>> byCurator, StepValue v) {
        InteractiveChart chart = new InteractiveChart(v.title(), "step", v.yLabel()).note(v.note());
        int i = 0;
        for (Map.Entry<String, List<Run>> e : byCurator.entrySet()) {
            String color = InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length];
            List<double[][]> curves = new ArrayList<>();
            for (Run r : e.getValue()) {
                double[][] w = windowed(r.metrics().steps(), m -> v.f().applyAsDouble(r, m));
                if (java.util.Arrays.stream(w[1]).anyMatch(Double::isFinite)) {
                    curves.add(w);
                }
            }
            if (!curves.isEmpty()) {
                chart.add(e.getKey() + " (" + curves.size() + (curves.size() == 1 ? " run)" : " runs)"), "line", color,
                        mean(curves)[0], mean(curves)[1]);
            }
        }
        return chart;
    }

    /**
     * alp-gmm's ALP map at each run's last fit: one marker per Gaussian component at its mean's last task
     * coordinate (the scaled digits or length of builtin:arith) and its mean absolute learning progress.
     */
    static InteractiveChart alpMapChart(List<Run> runs) {
        InteractiveChart chart = new InteractiveChart("alp-gmm's ALP map at its last fit", "task parameter (scaled to [0, 1])",
                "component mean ALP").note("One marker per Gaussian component of the run's last fit, at its mean's last task "
                        + "coordinate (for builtin:arith the digits or length within the family's range; the family coordinate "
                        + "is not shown) and its mean absolute learning progress.");
        int i = 0;
        for (Run r : runs) {
            List<?> map = null;
            for (Map<String, Object> m : r.metrics().steps()) {
                if (m.get("alpgmm_map") instanceof List<?> l) {
                    map = l;
                }
            }
            if (map == null) {
                continue;
            }
            double[] x = new double[map.size()];
            double[] y = new double[map.size()];
            for (int c = 0; c < map.size(); c++) {
                List<?> mean = (List<?>) ((Map<?, ?>) map.get(c)).get("mean");
                x[c] = ((Number) mean.get(mean.size() - 2)).doubleValue();
                y[c] = ((Number) mean.get(mean.size() - 1)).doubleValue();
            }
            chart.add("alp-gmm seed " + r.seed(), "point", InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length], x, y);
        }
        return chart;
    }

    /**
     * Sampled pass@k against rollouts generated, as pass@1's chart: one series per curator (and per k
     * when the runs differ in it), the mean over the runs that measured it; null when none did.
     */
    static InteractiveChart passAtKChart(Map<String, List<Run>> byCurator) {
        java.util.Set<Integer> ks = new java.util.TreeSet<>();
        byCurator.values().forEach(rs -> rs.stream().filter(r -> r.passK() > 0).forEach(r -> ks.add(r.passK())));
        if (ks.isEmpty()) {
            return null;
        }
        String k = ks.size() == 1 ? String.valueOf(ks.iterator().next()) : "k";
        InteractiveChart chart = new InteractiveChart("Held-out pass@" + k + " (sampled) against rollouts generated", "rollouts", "pass@" + k);
        int i = 0;
        for (Map.Entry<String, List<Run>> e : byCurator.entrySet()) {
            String color = InteractiveChart.PALETTE[i++ % InteractiveChart.PALETTE.length];
            for (int kk : ks) {
                List<double[][]> p = new ArrayList<>();
                for (Run r : e.getValue()) {
                    if (r.passK() == kk) {
                        p.add(new double[][] {MetricsFile.column(r.metrics().evals(), rolloutsKey(r)),
                            MetricsFile.column(r.metrics().evals(), "heldout_pass_at_k")});
                    }
                }
                if (!p.isEmpty()) {
                    String label = e.getKey() + (ks.size() == 1 ? "" : " k=" + kk) + " (" + p.size() + (p.size() == 1 ? " run)" : " runs)");
                    chart.add(label, "line", color, mean(p)[0], mean(p)[1]);
                }
            }
        }
        return chart;
    }

    /** Means of {@code f} over consecutive windows of {@link #WINDOW} step lines: x = the window's last step. */
    static double[][] windowed(List<Map<String, Object>> steps, java.util.function.ToDoubleFunction<Map<String, Object>> f) {
        int n = (steps.size() + WINDOW - 1) / WINDOW;
        double[][] out = new double[2][n];
        for (int w = 0; w < n; w++) {
            double sum = 0;
            int count = 0;
            int end = Math.min(steps.size(), (w + 1) * WINDOW);
            for (int j = w * WINDOW; j < end; j++) {
                double v = f.applyAsDouble(steps.get(j));
                if (Double.isFinite(v)) {
                    sum += v;
                    count++;
                }
            }
            out[0][w] = num(steps.get(end - 1), "step");
            out[1][w] = count == 0 ? Double.NaN : sum / count;
        }
        return out;
    }

    /** The mean recorded parameter of one step's picks, from its {@code picked_buckets} ({@code add{digits=2.0}: 3}); NaN without one. */
    static double meanPickParameter(Map<String, Object> step) {
        if (!(step.get("picked_buckets") instanceof Map<?, ?> buckets)) {
            return Double.NaN;
        }
        double sum = 0;
        double count = 0;
        for (Map.Entry<?, ?> b : buckets.entrySet()) {
            Matcher m = PARAM.matcher(String.valueOf(b.getKey()));
            if (m.find() && b.getValue() instanceof Number n) {
                sum += Double.parseDouble(m.group(1)) * n.doubleValue();
                count += n.doubleValue();
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Point-wise mean of curves sharing their x (the runs of one curator); x of the shortest. */
    static double[][] mean(List<double[][]> curves) {
        int n = Integer.MAX_VALUE;
        for (double[][] c : curves) {
            n = Math.min(n, c[0].length);
        }
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = curves.get(0)[0][i];
            double s = 0;
            for (double[][] c : curves) {
                s += c[1][i];
            }
            out[1][i] = s / curves.size();
        }
        return out;
    }

    private static String table(List<Run> runs) {
        StringBuilder t = new StringBuilder("| run | curator | seed | steps | optimizer steps | rollouts generated | rollouts trained "
                + "| GFLOPs total | wall-clock s | pass@1 start | pass@1 final | pass@1 best | zero-variance share |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Run r : runs) {
            List<Map<String, Object>> ev = r.metrics().evals();
            List<Map<String, Object>> st = r.metrics().steps();
            double best = Double.NaN;
            for (double v : MetricsFile.column(ev, "heldout_accuracy")) {
                best = Double.isNaN(best) ? v : Math.max(best, v);
            }
            Map<String, Object> last = st.isEmpty() ? Map.of() : st.get(st.size() - 1);
            double generated = last.containsKey("rollouts_generated") ? num(last, "rollouts_generated") : num(last, "rollouts");
            t.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %.3f | %.3f | %.3f | %.3f |%n",
                    runName(r.dir()), r.curator(), r.seed(), num(last, "step"), num(last, "optimizer_steps"), generated,
                    num(last, "rollouts_trained"), (num(last, "flops_sampling") + num(last, "flops_update") + num(last, "flops_curator")
                            + (last.containsKey("flops_probes") ? num(last, "flops_probes") : 0)) / 1e9, num(last, "wall_clock_sec"), ev.isEmpty() ? Double.NaN : num(ev.get(0), "heldout_accuracy"),
                    ev.isEmpty() ? Double.NaN : num(ev.get(ev.size() - 1), "heldout_accuracy"), best, num(last, "zero_variance_share")));
        }
        return "<h2>Runs</h2>" + CompareReport.markdownToHtml(t.toString());
    }

    /** The x of "against rollouts generated": probes included ({@code rollouts_generated}); {@code rollouts} in runs from before the ledger. */
    static String rolloutsKey(Run r) {
        List<Map<String, Object>> ev = r.metrics().evals();
        return !ev.isEmpty() && ev.get(0).containsKey("rollouts_generated") ? "rollouts_generated" : "rollouts";
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** A run's name in the table: its folder, with the curator's folder above it for a grid cell ({@code <curator>/seed<k>}). */
    static String runName(Path dir) {
        Path name = dir.getFileName();
        Path parent = dir.getParent();
        return name != null && parent != null && parent.getFileName() != null && name.toString().matches("seed\\d+")
                ? parent.getFileName() + "/" + name : String.valueOf(name);
    }
}
