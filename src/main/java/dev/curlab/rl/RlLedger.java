package dev.curlab.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.eval.Bootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The compute ledger of RL runs, rebuilt from their metrics.jsonl: what each run spent (optimizer
 * steps, rollouts generated, trained on and probed, generated tokens, FLOPs of sampling, update,
 * curator and probes, wall-clock) and, against a reference curator, held-out pass@1 at equal steps, at
 * equal generated rollouts and at equal FLOPs, paired by seed, with 95% bootstrap intervals of the mean
 * difference (the resampling of {@code compare}'s paired tables, {@link Bootstrap}).
 */
public final class RlLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RlLedger() {
    }

    /** One evaluation: RL steps, rollouts generated (probes included) and total FLOPs so far, and greedy pass@1. */
    public record Point(long step, double rollouts, double flops, double acc) {
    }

    /** One run's final ledger and its evaluations. */
    public record Totals(long seed, long steps, long optimizerSteps, long rolloutsGenerated, long rolloutsTrained, long rolloutsProbe,
            long tokensGenerated, double flopsSampling, double flopsUpdate, double flopsCurator, double flopsProbes, double wallSeconds,
            double fracZeroStd, List<Point> evals) {

        public double flopsTotal() {
            return flopsSampling + flopsUpdate + flopsCurator + flopsProbes;
        }
    }

    /** A run's ledger; runs from before the ledger read as one update per step and no probes. */
    @SuppressWarnings("unchecked")
    public static Totals read(Path runDir) {
        long seed = RlRuns.savedConfig(runDir).seed();
        List<Point> evals = new ArrayList<>();
        Map<String, Object> last = Map.of();
        double zeroSum = 0;
        int stepLines = 0;
        try {
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                Map<String, Object> m = JSON.readValue(line, Map.class);
                if (m.get("kind").equals("eval")) {
                    evals.add(new Point((long) num(m, "step", 0), num(m, "rollouts_generated", num(m, "rollouts", 0)), num(m, "flops_total", 0),
                            num(m, "heldout_accuracy", Double.NaN)));
                } else {
                    last = m;
                    zeroSum += num(m, "frac_reward_zero_std", Double.NaN);
                    stepLines++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("metrics.jsonl"), e);
        }
        Map<String, Object> m = last;
        long rollouts = (long) num(m, "rollouts", 0);
        return new Totals(seed, (long) num(m, "step", 0), (long) num(m, "optimizer_steps", num(m, "step", 0)),
                (long) num(m, "rollouts_generated", rollouts), (long) num(m, "rollouts_trained", Double.NaN), (long) num(m, "rollouts_probe", 0),
                (long) num(m, "tokens_generated", 0) + (long) num(m, "tokens_generated_probe", 0), num(m, "flops_sampling", 0),
                num(m, "flops_update", 0), num(m, "flops_curator", 0), num(m, "flops_probes", 0), num(m, "wall_clock_sec", Double.NaN),
                stepLines == 0 ? Double.NaN : zeroSum / stepLines, List.copyOf(evals));
    }

    private static double num(Map<String, Object> m, String key, double dflt) {
        return m.get(key) instanceof Number n ? n.doubleValue() : dflt;
    }

    /** pass@1 of the last evaluation whose {@code x} is within {@code budget} (NaN when none is). */
    public static double accAt(List<Point> evals, ToDoubleFunction<Point> x, double budget) {
        double acc = Double.NaN;
        for (Point p : evals) {
            if (x.applyAsDouble(p) <= budget * (1 + 1e-12)) {
                acc = p.acc();
            }
        }
        return acc;
    }

    /** One paired comparison: the per-seed differences (curator - reference) and their bootstrap interval. */
    public record Paired(double[] diffs, double mean, Bootstrap.Interval interval) {
        static Paired of(List<Double> d) {
            double[] x = d.stream().mapToDouble(Double::doubleValue).toArray();
            double mean = 0;
            for (double v : x) {
                mean += v / x.length;
            }
            return new Paired(x, mean, x.length == 0 ? null : Bootstrap.percentile95(x));
        }

        @Override
        public String toString() {
            if (diffs.length == 0) {
                return "-";
            }
            return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]%s", mean, interval.lo(), interval.hi(),
                    interval.containsZero() ? "" : " *");
        }
    }

    /**
     * The curator's pass@1 minus the reference's, seed by seed (seeds both ran): at the final step;
     * at the generated rollouts both reached (the smaller of their totals); at the FLOPs both reached.
     * Each run's pass@1 at a budget is that of its last evaluation within it.
     */
    public static Paired[] paired(List<Totals> runs, List<Totals> reference) {
        List<Double> atSteps = new ArrayList<>();
        List<Double> atRollouts = new ArrayList<>();
        List<Double> atFlops = new ArrayList<>();
        for (Totals r : runs) {
            for (Totals ref : reference) {
                if (ref.seed() != r.seed()) {
                    continue;
                }
                double steps = Math.min(r.steps(), ref.steps());
                double rollouts = Math.min(last(r, Point::rollouts), last(ref, Point::rollouts));
                double flops = Math.min(last(r, Point::flops), last(ref, Point::flops));
                addFinite(atSteps, accAt(r.evals(), Point::step, steps) - accAt(ref.evals(), Point::step, steps));
                addFinite(atRollouts, accAt(r.evals(), Point::rollouts, rollouts) - accAt(ref.evals(), Point::rollouts, rollouts));
                addFinite(atFlops, accAt(r.evals(), Point::flops, flops) - accAt(ref.evals(), Point::flops, flops));
            }
        }
        return new Paired[] {Paired.of(atSteps), Paired.of(atRollouts), Paired.of(atFlops)};
    }

    private static double last(Totals r, ToDoubleFunction<Point> x) {
        return r.evals().isEmpty() ? 0 : x.applyAsDouble(r.evals().get(r.evals().size() - 1));
    }

    private static void addFinite(List<Double> l, double v) {
        if (Double.isFinite(v)) {
            l.add(v);
        }
    }

    /** The ledger table: one row per curator, means over its runs. */
    public static String ledgerMarkdown(Map<String, List<Totals>> byCurator) {
        StringBuilder sb = new StringBuilder();
        sb.append("| curator | runs | steps | optimizer steps | rollouts generated | rollouts trained | of which probes | tokens generated "
                + "| GFLOPs sampling | GFLOPs update | GFLOPs curator | GFLOPs probes | GFLOPs total | frac_reward_zero_std | wall-clock s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        byCurator.forEach((c, runs) -> sb.append(String.format(Locale.ROOT,
                "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.1f |%n", c, runs.size(),
                mean(runs, Totals::steps), mean(runs, Totals::optimizerSteps), mean(runs, Totals::rolloutsGenerated),
                mean(runs, Totals::rolloutsTrained), mean(runs, Totals::rolloutsProbe), mean(runs, Totals::tokensGenerated),
                mean(runs, t -> t.flopsSampling() / 1e9), mean(runs, t -> t.flopsUpdate() / 1e9), mean(runs, t -> t.flopsCurator() / 1e9),
                mean(runs, t -> t.flopsProbes() / 1e9), mean(runs, t -> t.flopsTotal() / 1e9), mean(runs, Totals::fracZeroStd),
                mean(runs, Totals::wallSeconds))));
        return sb.toString();
    }

    /**
     * The paired table against {@code reference}: pass@1 difference (mean over seeds, 95% bootstrap
     * interval; * when it excludes 0) at equal steps, generated rollouts and FLOPs.
     */
    public static String pairedMarkdown(Map<String, List<Totals>> byCurator, String reference) {
        List<Totals> ref = byCurator.get(reference);
        StringBuilder sb = new StringBuilder();
        sb.append("pass@1 minus ").append(reference).append("'s, paired by seed, mean [95% bootstrap interval] (* excludes 0):\n\n");
        sb.append("| curator | seeds | at equal steps | at equal rollouts generated | at equal FLOPs |\n|---|---|---|---|---|\n");
        byCurator.forEach((c, runs) -> {
            if (!c.equals(reference)) {
                Paired[] p = paired(runs, ref);
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", c, p[0].diffs().length, p[0], p[1], p[2]));
            }
        });
        return sb.toString();
    }

    private static double mean(List<Totals> runs, ToDoubleFunction<Totals> f) {
        double s = 0;
        for (Totals t : runs) {
            s += f.applyAsDouble(t) / runs.size();
        }
        return s;
    }

    /** The ledgers by curator, in the given order. */
    public static Map<String, List<Totals>> collect(Map<String, List<Path>> dirs) {
        Map<String, List<Totals>> out = new LinkedHashMap<>();
        dirs.forEach((c, ps) -> out.put(c, ps.stream().map(RlLedger::read).toList()));
        return out;
    }
}
