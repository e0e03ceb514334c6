package dev.curlab.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison table of RL runs, rebuilt from their metrics.jsonl (and the k of their config.json):
 * per curator, over seeds, the final and best greedy pass@1 on the held-out set, the final sampled
 * pass@k when the runs measured it, the rollouts generated (probes included) and FLOPs at which a run
 * first reached the target accuracy, the share of zero-variance groups and the compute spent (the
 * curator's column includes its probes). The full ledger is {@link RlLedger}'s.
 */
public final class RlTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RlTable() {
    }

    /**
     * One run's summary. {@code rolloutsToTarget} is -1 when the target was never reached; {@code passK}
     * is 0 and {@code passAtKLast} NaN when the run did not measure pass@k.
     */
    public record Run(double start, double last, double best, long rolloutsToTarget, double flopsToTarget,
            double zeroShare, double flopsTotal, double flopsCurator, long rollouts, int passK, double passAtKLast) {
    }

    @SuppressWarnings("unchecked")
    public static Run summarise(Path runDir, double target) {
        double start = Double.NaN;
        double last = Double.NaN;
        double best = Double.NEGATIVE_INFINITY;
        long toTarget = -1;
        double flopsToTarget = Double.NaN;
        double zero = Double.NaN;
        double flops = 0;
        double curatorFlops = 0;
        long rollouts = 0;
        double passAtK = Double.NaN;
        try {
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                Map<String, Object> m = JSON.readValue(line, Map.class);
                if (m.get("kind").equals("eval")) {
                    double acc = ((Number) m.get("heldout_accuracy")).doubleValue();
                    if (Double.isNaN(start)) {
                        start = acc;
                    }
                    last = acc;
                    best = Math.max(best, acc);
                    if (m.get("heldout_pass_at_k") instanceof Number p) {
                        passAtK = p.doubleValue();
                    }
                    if (toTarget < 0 && acc >= target) {
                        toTarget = ((Number) m.getOrDefault("rollouts_generated", m.get("rollouts"))).longValue();
                        flopsToTarget = ((Number) m.get("flops_total")).doubleValue();
                    }
                } else {
                    zero = ((Number) m.get("zero_variance_share")).doubleValue();
                    flops = ((Number) m.get("flops_sampling")).doubleValue() + ((Number) m.get("flops_update")).doubleValue()
                            + ((Number) m.get("flops_curator")).doubleValue() + ((Number) m.getOrDefault("flops_probes", 0)).doubleValue();
                    curatorFlops = ((Number) m.get("flops_curator")).doubleValue() + ((Number) m.getOrDefault("flops_probes", 0)).doubleValue();
                    rollouts = ((Number) m.getOrDefault("rollouts_generated", m.get("rollouts"))).longValue();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("metrics.jsonl"), e);
        }
        int k = Double.isNaN(passAtK) ? 0 : RlRuns.savedConfig(runDir).passK();
        return new Run(start, last, best, toTarget, flopsToTarget, zero, flops, curatorFlops, rollouts, k, passAtK);
    }

    /** A Markdown table: one row per curator, mean ± sd over its runs; a pass@k column when any run measured it. */
    public static String markdown(Map<String, List<Run>> byCurator, double target) {
        java.util.Set<Integer> ks = new java.util.TreeSet<>();
        byCurator.values().forEach(rs -> rs.stream().filter(r -> r.passK() > 0).forEach(r -> ks.add(r.passK())));
        String passAtK = ks.isEmpty() ? "" : ks.size() == 1 ? " pass@" + ks.iterator().next() + " final |" : " pass@k final (k differs) |";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| curator | runs | pass@1 start | pass@1 final | pass@1 best |%s reached %.3f | rollouts to %.3f | "
                + "GFLOPs to %.3f | zero-variance share | GFLOPs total (curator and probes) |%n", passAtK, target, target, target));
        sb.append("| --- | --- | --- | --- | --- |").append(ks.isEmpty() ? "" : " --- |").append(" --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<Run>> e : byCurator.entrySet()) {
            List<Run> runs = e.getValue();
            List<Double> reached = new ArrayList<>();
            List<Double> reachedFlops = new ArrayList<>();
            for (Run r : runs) {
                if (r.rolloutsToTarget() >= 0) {
                    reached.add((double) r.rolloutsToTarget());
                    reachedFlops.add(r.flopsToTarget() / 1e9);
                }
            }
            List<Double> measured = runs.stream().filter(r -> r.passK() > 0).map(Run::passAtKLast).toList();
            String k = ks.isEmpty() ? "" : " " + (measured.isEmpty() ? "-" : meanSd(measured, 3)) + " |";
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%s %d/%d | %s | %s | %s | %s (%s) |%n", e.getKey(), runs.size(),
                    ms(runs, Run::start, 3), ms(runs, Run::last, 3), ms(runs, Run::best, 3), k, reached.size(), runs.size(),
                    reached.isEmpty() ? "-" : meanSd(reached, 0), reachedFlops.isEmpty() ? "-" : meanSd(reachedFlops, 1),
                    ms(runs, Run::zeroShare, 3), ms(runs, r -> r.flopsTotal() / 1e9, 1), ms(runs, r -> r.flopsCurator() / 1e9, 1)));
        }
        return sb.toString();
    }

    private static String ms(List<Run> runs, java.util.function.ToDoubleFunction<Run> f, int digits) {
        List<Double> v = new ArrayList<>();
        for (Run r : runs) {
            v.add(f.applyAsDouble(r));
        }
        return meanSd(v, digits);
    }

    /** "mean ± sd" (sample sd; just the mean for one value). */
    static String meanSd(List<Double> v, int digits) {
        double[] x = v.stream().mapToDouble(Double::doubleValue).toArray();
        double mean = Stats.mean(x);
        if (x.length < 2) {
            return String.format(Locale.ROOT, "%." + digits + "f", mean);
        }
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", mean, Stats.sampleSd(x));
    }

    /**
     * rl-compare's automatic target, on the table's own numbers: 80% of the lowest mean best pass@1 among
     * the curators, unless that is not above the highest mean starting pass@1 (a warm start already past
     * it, where every run would reach it at 0 rollouts); then halfway from that start to the lowest mean
     * best. Means over a curator's seeds, as the table shows them: one seed that never improves must not
     * pull the target down to the start for everyone.
     */
    public static double autoTarget(Map<String, List<Run>> byCurator) {
        double lowestBest = 1;
        double highestStart = 0;
        for (List<Run> runs : byCurator.values()) {
            lowestBest = Math.min(lowestBest, Stats.mean(runs.stream().mapToDouble(Run::best).toArray()));
            highestStart = Math.max(highestStart, Stats.mean(runs.stream().mapToDouble(Run::start).toArray()));
        }
        return autoTarget(highestStart, lowestBest);
    }

    /** The rule of {@link #autoTarget(Map)} on its two numbers, rounded to 3 decimals. */
    public static double autoTarget(double highestStart, double lowestBest) {
        double t = 0.8 * lowestBest;
        if (t <= highestStart) {
            t = highestStart + (lowestBest - highestStart) / 2;
        }
        return Math.round(t * 1000) / 1000.0;
    }

    /** The runs' summaries by curator, in the given order (for the caller's table). */
    public static Map<String, List<Run>> collect(Map<String, List<Path>> dirs, double target) {
        Map<String, List<Run>> out = new LinkedHashMap<>();
        dirs.forEach((c, ps) -> out.put(c, ps.stream().map(p -> summarise(p, target)).toList()));
        return out;
    }
}
