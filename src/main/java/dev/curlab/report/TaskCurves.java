package dev.curlab.report;

import dev.curlab.eval.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Downstream accuracy as training goes ({@code task/<name>/acc} on eval lines, {@code --task-every}):
 * per selector, task and evaluation step, the mean accuracy over seeds with its 95% percentile-bootstrap
 * interval of the mean, against the mean examples trained and training FLOPs at that step. Rebuilt
 * from metrics.jsonl and config.json alone.
 */
public record TaskCurves(List<Row> rows) {

    /**
     * One point of a curve.
     *
     * @param seeds    runs with an accuracy at this step
     * @param acc      mean accuracy over them
     * @param lo       95% bootstrap interval of the mean (NaN with one seed)
     * @param examples mean examples trained by this step
     * @param flops    mean training FLOPs by this step
     */
    public record Row(String selector, String task, long step, int seeds, double acc, double lo, double hi, double examples, double flops) {
    }

    /** The curves of {@code runs}; no rows when no run scored a task while training. */
    public static TaskCurves build(List<RunData> runs) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunData>> g : EfficiencyTable.bySelector(runs).entrySet()) {
            // task -> step -> per-run (acc, examples, flops)
            Map<String, Map<Long, List<double[]>>> points = new TreeMap<>();
            for (RunData r : g.getValue()) {
                for (Map<String, Object> e : r.metrics().evals()) {
                    long step = ((Number) e.get("step")).longValue();
                    for (Map.Entry<String, Object> kv : e.entrySet()) {
                        String k = kv.getKey();
                        if (k.startsWith("task/") && k.endsWith("/acc") && kv.getValue() instanceof Number acc) {
                            String task = k.substring("task/".length(), k.length() - "/acc".length());
                            double examples = e.get("examples_trained") instanceof Number n ? n.doubleValue() : Double.NaN;
                            points.computeIfAbsent(task, t -> new TreeMap<>()).computeIfAbsent(step, s -> new ArrayList<>())
                                    .add(new double[] {acc.doubleValue(), examples, flopsAt(r, step)});
                        }
                    }
                }
            }
            points.forEach((task, bySteps) -> bySteps.forEach((step, p) -> rows.add(row(g.getKey(), task, step, p))));
        }
        return new TaskCurves(rows);
    }

    /** Training compute after {@code step} steps: the cumulative FLOPs of the step line of that step (0 before the first). */
    static double flopsAt(RunData r, long step) {
        List<Map<String, Object>> steps = r.metrics().steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (((Number) steps.get(i).get("step")).longValue() <= step) {
                return r.cumulative()[i].total();
            }
        }
        return 0;
    }

    private static Row row(String selector, String task, long step, List<double[]> p) {
        double[] acc = new double[p.size()];
        double examples = 0;
        double flops = 0;
        for (int i = 0; i < acc.length; i++) {
            acc[i] = p.get(i)[0];
            examples += p.get(i)[1] / acc.length;
            flops += p.get(i)[2] / acc.length;
        }
        double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
        Bootstrap.Interval ci = acc.length > 1 ? Bootstrap.percentile95(acc) : new Bootstrap.Interval(Double.NaN, Double.NaN);
        return new Row(selector, task, step, acc.length, mean, ci.lo(), ci.hi(), examples, flops);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The tasks present, sorted. */
    public List<String> tasks() {
        TreeSet<String> t = new TreeSet<>();
        rows.forEach(r -> t.add(r.task()));
        return new ArrayList<>(t);
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("selector,task,step,seeds,acc_mean,acc_lo,acc_hi,examples_trained,train_flops\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%s,%s,%.1f,%.6g%n", r.selector(), r.task(), r.step(), r.seeds(), r.acc(),
                    num(r.lo()), num(r.hi()), r.examples(), r.flops()));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** One markdown table per task: accuracy against examples and FLOPs, per selector. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        for (String task : tasks()) {
            sb.append("\n## Downstream accuracy as training goes: ").append(task).append("\n\n")
                    .append("Mean accuracy over seeds with its 95% bootstrap interval, at the evaluations that scored the task (--task-every).\n\n")
                    .append("| selector | step | examples | train FLOPs | seeds | acc | 95% interval |\n| --- | --- | --- | --- | --- | --- | --- |\n");
            for (Row r : rows) {
                if (r.task().equals(task)) {
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.3g | %d | %.4f | %s |%n", r.selector(), r.step(), r.examples(),
                            r.flops(), r.seeds(), r.acc(), Double.isNaN(r.lo()) ? "—" : String.format(Locale.ROOT, "[%.4f, %.4f]", r.lo(), r.hi())));
                }
            }
        }
        return sb.toString();
    }

    /** Writes {@code dir/task-curves.csv} and appends the tables to {@code dir/summary.md} when it exists. */
    public void writeInto(java.nio.file.Path dir) {
        try {
            java.nio.file.Files.writeString(dir.resolve("task-curves.csv"), csv(), java.nio.charset.StandardCharsets.UTF_8);
            java.nio.file.Path summary = dir.resolve("summary.md");
            if (java.nio.file.Files.exists(summary)) {
                java.nio.file.Files.writeString(summary, markdown(), java.nio.charset.StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the task curves in " + dir, e);
        }
    }

    /** The tables as HTML for report.html. */
    public String html() {
        return isEmpty() ? "" : CompareReport.markdownToHtml(markdown());
    }
}
