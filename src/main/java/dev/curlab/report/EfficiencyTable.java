package dev.curlab.report;

import dev.curlab.eval.Flops;
import dev.curlab.eval.SampleEfficiency;
import dev.curlab.util.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The sample-efficiency table: per selector, mean ± std over seeds of the final eval loss and
 * perplexity, examples and training compute until the eval-loss curve first reaches a target loss
 * (mean over the seeds that reached it, with how many did), ratios against random, candidates
 * scanned, training FLOPs and wall-clock. A seed that never reaches the target counts as not reached.
 *
 * @param target       the target eval loss, or NaN when there is none (then no to-target columns)
 * @param targetSource where the target came from, in words
 * @param rows         one row per selector, in the order the runs were given
 * @param runs         one row per run
 */
public record EfficiencyTable(double target, String targetSource, List<Row> rows, List<RunRow> runs) {
    public static final String BASELINE = "random";

    /** One run against the target. */
    public record RunRow(RunData run, double finalLoss, OptionalDouble examplesToTarget, OptionalDouble flopsToTarget) {
    }

    /** One selector over its seeds; to-target means are over the {@code reached} seeds only. */
    public record Row(String selector, int seeds, int finished, double lossMean, double lossStd, double pplMean, double pplStd,
            int reached, double examplesToTarget, double examplesRatio, double candidates, Flops.Breakdown trainFlops,
            double flopsToTarget, double flopsRatio, double evalFlops, double wallSeconds) {
    }

    /** Groups runs by selector, in order of first appearance. */
    public static Map<String, List<RunData>> bySelector(List<RunData> runs) {
        Map<String, List<RunData>> out = new LinkedHashMap<>();
        for (RunData r : runs) {
            out.computeIfAbsent(r.selector(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The default target, random's mean final eval loss; NaN when no random run is given. */
    public static double defaultTarget(List<RunData> runs) {
        List<RunData> random = bySelector(runs).get(BASELINE);
        if (random == null) {
            return Double.NaN;
        }
        return Stats.mean(random.stream().mapToDouble(RunData::finalEvalLoss).toArray());
    }

    /** Builds the table; {@code target} NaN means: the default target, if there is one. */
    public static EfficiencyTable build(List<RunData> runs, double target) {
        String source;
        if (Double.isNaN(target)) {
            target = defaultTarget(runs);
            int n = bySelector(runs).getOrDefault(BASELINE, List.of()).size();
            source = Double.isNaN(target) ? "none (no random runs and no --target-loss)"
                    : "random's mean final eval loss over " + n + " seed" + (n == 1 ? "" : "s");
        } else {
            source = "--target-loss";
        }
        List<RunRow> runRows = new ArrayList<>();
        for (RunData r : runs) {
            OptionalDouble ex = OptionalDouble.empty();
            OptionalDouble fl = OptionalDouble.empty();
            if (!Double.isNaN(target)) {
                OptionalDouble c = SampleEfficiency.crossing(r.evalLoss(), target);
                if (c.isPresent()) {
                    ex = OptionalDouble.of(SampleEfficiency.at(r.evalExamples(), c.getAsDouble()));
                    fl = OptionalDouble.of(SampleEfficiency.at(r.evalTrainFlops(), c.getAsDouble()));
                }
            }
            runRows.add(new RunRow(r, r.finalEvalLoss(), ex, fl));
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunData>> g : bySelector(runs).entrySet()) {
            List<RunRow> rr = runRows.stream().filter(x -> x.run().selector().equals(g.getKey())).toList();
            rows.add(row(g.getKey(), rr));
        }
        Row base = rows.stream().filter(r -> r.selector().equals(BASELINE)).findFirst().orElse(null);
        List<Row> withRatios = new ArrayList<>();
        for (Row r : rows) {
            double exRatio = base == null ? Double.NaN : r.examplesToTarget() / base.examplesToTarget();
            double flRatio = base == null ? Double.NaN : r.flopsToTarget() / base.flopsToTarget();
            withRatios.add(new Row(r.selector(), r.seeds(), r.finished(), r.lossMean(), r.lossStd(), r.pplMean(), r.pplStd(),
                    r.reached(), r.examplesToTarget(), exRatio, r.candidates(), r.trainFlops(), r.flopsToTarget(), flRatio,
                    r.evalFlops(), r.wallSeconds()));
        }
        return new EfficiencyTable(target, source, withRatios, runRows);
    }

    private static Row row(String selector, List<RunRow> rr) {
        double[] loss = rr.stream().mapToDouble(RunRow::finalLoss).toArray();
        double[] ppl = rr.stream().mapToDouble(x -> Math.exp(x.finalLoss())).toArray();
        double[] ex = rr.stream().filter(x -> x.examplesToTarget().isPresent()).mapToDouble(x -> x.examplesToTarget().getAsDouble()).toArray();
        double[] fl = rr.stream().filter(x -> x.flopsToTarget().isPresent()).mapToDouble(x -> x.flopsToTarget().getAsDouble()).toArray();
        Flops.Breakdown train = Flops.Breakdown.ZERO;
        for (RunRow x : rr) {
            train = train.plus(x.run().trainFlops());
        }
        int n = rr.size();
        train = new Flops.Breakdown(train.scoring() / n, train.update() / n, train.reward() / n, train.il() / n);
        return new Row(selector, n, (int) rr.stream().filter(x -> x.run().finished()).count(),
                Stats.mean(loss), Stats.sampleSd(loss), Stats.mean(ppl), Stats.sampleSd(ppl),
                ex.length, Stats.mean(ex), Double.NaN,
                rr.stream().mapToDouble(x -> x.run().candidatesScanned()).average().orElse(Double.NaN), train,
                Stats.mean(fl), Double.NaN,
                rr.stream().mapToDouble(x -> x.run().evalFlops()).average().orElse(Double.NaN),
                rr.stream().mapToDouble(x -> x.run().wallSeconds()).average().orElse(Double.NaN));
    }

    /** The compute budget every run shared (--budget-flops), or 0 when the runs had none or different ones. */
    public double equalBudget() {
        double b = runs.isEmpty() ? 0 : runs.get(0).run().budgetFlops();
        for (RunRow r : runs) {
            if (r.run().budgetFlops() != b) {
                return 0;
            }
        }
        return b;
    }

    public boolean hasTarget() {
        return !Double.isNaN(target);
    }

    // ----------------------------------------------------------------------------------------------
    // Text forms
    // ----------------------------------------------------------------------------------------------

    /** The table in Markdown (also what the console shows). */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(hasTarget() ? String.format(Locale.ROOT, "Target eval loss: %.4f (%s).%n%n", target, targetSource)
                : "No target eval loss: " + targetSource + ".\n\n");
        double budget = equalBudget();
        if (budget > 0) {
            sb.append(String.format(Locale.ROOT, "Equal compute: every run had a budget of %.3e training FLOPs, every pass charged; "
                    + "the final eval loss is at that compute, the steps are what each selector's budget afforded.%n%n", budget));
        }
        List<String> head = new ArrayList<>(List.of("selector", "seeds", "final eval loss", "final eval ppl"));
        if (budget > 0) {
            head.add("steps");
        }
        if (hasTarget()) {
            head.addAll(List.of("examples to target", "vs random"));
        }
        head.addAll(List.of("candidates scanned", "train FLOPs"));
        if (hasTarget()) {
            head.addAll(List.of("FLOPs to target", "vs random"));
        }
        head.add("wall-clock");
        sb.append(mdRow(head));
        sb.append(mdRow(head.stream().map(h -> "---").toList()));
        Row base = rows.stream().filter(r -> r.selector().equals(BASELINE)).findFirst().orElse(null);
        boolean partial = false;
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(r.selector() + (r.finished() < r.seeds() ? " (" + (r.seeds() - r.finished()) + " unfinished)" : ""));
            cells.add(String.valueOf(r.seeds()));
            cells.add(pm(r.lossMean(), r.lossStd(), "%.4f"));
            cells.add(pm(r.pplMean(), r.pplStd(), "%.3f"));
            if (budget > 0) {
                cells.add(String.format(Locale.ROOT, "%.0f", runs.stream().filter(x -> x.run().selector().equals(r.selector()))
                        .mapToLong(x -> x.run().steps()).average().orElse(Double.NaN)));
            }
            if (hasTarget()) {
                partial |= r.reached() < r.seeds();
                cells.add(toTarget(r.examplesToTarget(), r, "%.0f"));
                cells.add(ratio(r.examplesRatio(), r, base));
            }
            cells.add(String.format(Locale.ROOT, "%.0f", r.candidates()));
            cells.add(sci(r.trainFlops().total()));
            if (hasTarget()) {
                cells.add(toTarget(r.flopsToTarget(), r, "%.3e"));
                cells.add(ratio(r.flopsRatio(), r, base));
            }
            cells.add(String.format(Locale.ROOT, "%.1f s", r.wallSeconds()));
            sb.append(mdRow(cells));
        }
        sb.append('\n');
        if (partial) {
            sb.append("(k/n reached): the mean is over the k seeds that reached the target only; the others never did.\n");
        }
        sb.append("Means over seeds, ± sample standard deviation. Examples to target: examples trained when the eval-loss curve "
                + "(linear between eval points) first reaches the target. Train FLOPs: the passes each run ran: LM update (3x forward) "
                + "+ candidate scoring + reward forward passes + IL model where the selector reads them, Kaplan et al. 2020 per-token estimate plus the tied output head; evaluation passes excluded "
                + "(see summary.csv). Wall-clock: sum of step_ms.\n");
        sb.append(rewardNote());
        return sb.toString();
    }

    /** Which reward each selector's runs used; absolute and paired-delta rewards are not on one scale. */
    String rewardNote() {
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        for (RunRow r : runs) {
            List<String> sel = kinds.computeIfAbsent(r.run().reward(), k -> new ArrayList<>());
            if (!sel.contains(r.run().selector())) {
                sel.add(r.run().selector());
            }
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> k : kinds.entrySet()) {
            parts.add(k.getKey() + " for " + String.join(", ", k.getValue()));
        }
        return "Reward: " + String.join("; ", parts) + (kinds.size() > 1
                ? " (absolute: held-out log-prob after the update; paired-delta: after minus before; not comparable across kinds, "
                        + "so the report plots each kind in its own panel).\n"
                : ".\n");
    }

    /** The per-run table in Markdown. */
    public String runsMarkdown() {
        StringBuilder sb = new StringBuilder();
        List<String> head = List.of("selector", "seed", "final eval loss", "examples to target", "FLOPs to target", "steps done");
        sb.append(mdRow(head)).append(mdRow(head.stream().map(h -> "---").toList()));
        for (RunRow r : runs) {
            sb.append(mdRow(List.of(r.run().selector(), String.valueOf(r.run().seed()),
                    String.format(Locale.ROOT, "%.4f", r.finalLoss()),
                    !hasTarget() ? "-" : r.examplesToTarget().isPresent() ? String.format(Locale.ROOT, "%.0f", r.examplesToTarget().getAsDouble()) : "not reached",
                    !hasTarget() ? "-" : r.flopsToTarget().isPresent() ? sci(r.flopsToTarget().getAsDouble()) : "not reached",
                    (long) last(r.run().evalSteps()) + "/" + r.run().steps())));
        }
        return sb.toString();
    }

    /** One row per selector; empty cells where there is no value (never reached, no target). */
    public String csv() {
        StringBuilder sb = new StringBuilder("selector,seeds,finished,final_eval_loss_mean,final_eval_loss_std,final_eval_ppl_mean,"
                + "final_eval_ppl_std,target_loss,seeds_reached,examples_to_target_mean,examples_to_target_ratio,"
                + "candidates_scanned_mean,train_flops_mean,scoring_flops_mean,update_flops_mean,reward_flops_mean,il_flops_mean,"
                + "flops_to_target_mean,flops_to_target_ratio,eval_flops_mean,wall_seconds_mean\n");
        for (Row r : rows) {
            sb.append(String.join(",", List.of(r.selector(), String.valueOf(r.seeds()), String.valueOf(r.finished()),
                    num(r.lossMean()), num(r.lossStd()), num(r.pplMean()), num(r.pplStd()), num(target), String.valueOf(r.reached()),
                    num(r.examplesToTarget()), num(r.examplesRatio()), num(r.candidates()), num(r.trainFlops().total()),
                    num(r.trainFlops().scoring()), num(r.trainFlops().update()), num(r.trainFlops().reward()), num(r.trainFlops().il()),
                    num(r.flopsToTarget()), num(r.flopsRatio()), num(r.evalFlops()), num(r.wallSeconds())))).append('\n');
        }
        return sb.toString();
    }

    /** One row per run. */
    public String runsCsv() {
        StringBuilder sb = new StringBuilder("selector,seed,dir,finished,final_eval_loss,final_eval_ppl,reached,examples_to_target,"
                + "flops_to_target,candidates_scanned,train_flops,eval_flops,wall_seconds\n");
        for (RunRow r : runs) {
            RunData d = r.run();
            sb.append(String.join(",", List.of(d.selector(), String.valueOf(d.seed()), d.dir().toString().replace(",", "_"),
                    String.valueOf(d.finished()), num(r.finalLoss()), num(Math.exp(r.finalLoss())),
                    String.valueOf(r.examplesToTarget().isPresent()), num(r.examplesToTarget().orElse(Double.NaN)),
                    num(r.flopsToTarget().orElse(Double.NaN)), String.valueOf(d.candidatesScanned()),
                    num(d.trainFlops().total()), num(d.evalFlops()), num(d.wallSeconds())))).append('\n');
        }
        return sb.toString();
    }

    private static String toTarget(double mean, Row r, String fmt) {
        if (r.reached() == 0) {
            return "not reached (0/" + r.seeds() + ")";
        }
        String v = fmt.equals("%.3e") ? sci(mean) : String.format(Locale.ROOT, fmt, mean);
        return r.reached() < r.seeds() ? v + " (" + r.reached() + "/" + r.seeds() + " reached)" : v;
    }

    private static String ratio(double v, Row r, Row base) {
        if (base == null || !Double.isFinite(v)) {
            return "-";
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        boolean partial = r.reached() < r.seeds() || base.reached() < base.seeds();
        return partial ? s + " (partial)" : s;
    }

    private static String pm(double mean, double std, String fmt) {
        String m = String.format(Locale.ROOT, fmt, mean);
        return Double.isNaN(std) ? m : m + " ± " + String.format(Locale.ROOT, fmt, std);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "";
    }

    private static double last(double[] v) {
        return v.length == 0 ? 0 : v[v.length - 1];
    }

    private static String mdRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
