package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Competence-based curriculum (Platanios et al. 2019, "Competence-based Curriculum Learning for
 * Neural Machine Translation"): a candidate is admitted at step t when the percentile of its
 * difficulty label among every label seen so far in the stream is at most the competence c(t)
 * (square-root schedule). It picks uniformly among admitted candidates; when fewer than B are
 * admitted it fills up with the easiest of the rest (so with none admitted it takes the easiest).
 */
public final class CompetenceSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final double c0;
    private final long horizon;
    private final TreeMap<Double, Long> seen = new TreeMap<>();   // difficulty label -> count
    private long seenTotal;

    public CompetenceSelector(long seed, int selectBatch, double c0, long horizon) {
        this.rng = Rng.derive(seed, "selector/competence");
        this.selectBatch = selectBatch;
        this.c0 = c0;
        this.horizon = horizon;
    }

    /** c(t) = min(1, sqrt(t (1 - c0^2) / T + c0^2)) (Platanios et al. 2019, square-root competence). */
    public static double competence(long t, long horizon, double c0) {
        return Math.min(1.0, Math.sqrt(t * (1 - c0 * c0) / horizon + c0 * c0));
    }

    @Override
    public String name() {
        return "competence";
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.DIFFICULTY);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            seen.merge(batch.window(i).difficulty(), 1L, Long::sum);   // the stream's running record
            seenTotal++;
        }
        double c = competence(batch.step(), horizon, c0);
        double[] percentile = new double[n];
        List<Integer> admitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            percentile[i] = percentile(batch.window(i).difficulty());
            if (percentile[i] <= c) {
                admitted.add(i);
            }
        }
        int[] picks = new int[selectBatch];
        int k = 0;
        for (; k < selectBatch && !admitted.isEmpty(); k++) {
            picks[k] = admitted.remove(rng.nextInt(admitted.size()));   // uniform among admitted
        }
        if (k < selectBatch) {
            fillWithEasiest(batch, picks, k);
        }
        metrics.put("competence_c", c);
        metrics.put("competence_admitted", n - countAbove(percentile, c));
        metrics.put("selected_percentile", percentile[picks[0]]);
        return Picks.selection(picks);
    }

    /** Fraction of the labels seen so far that are <= d (the empirical CDF of difficulty). */
    double percentile(double d) {
        long atMost = 0;
        for (long count : seen.headMap(d, true).values()) {
            atMost += count;
        }
        return (double) atMost / seenTotal;
    }

    /** Picks [from, B) are the easiest candidates not yet picked (ties broken at random). */
    private void fillWithEasiest(CandidateBatch batch, int[] picks, int from) {
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            rest.add(i);
        }
        for (int j = 0; j < from; j++) {
            rest.remove(Integer.valueOf(picks[j]));
        }
        for (int j = from; j < picks.length; j++) {
            double easiest = Double.POSITIVE_INFINITY;
            for (int i : rest) {
                easiest = Math.min(easiest, batch.window(i).difficulty());
            }
            List<Integer> ties = new ArrayList<>();
            for (int i : rest) {
                if (batch.window(i).difficulty() == easiest) {
                    ties.add(i);
                }
            }
            picks[j] = Picks.uniform(rng, ties);
            rest.remove(Integer.valueOf(picks[j]));
        }
    }

    private static int countAbove(double[] percentile, double c) {
        int above = 0;
        for (double p : percentile) {
            above += p > c ? 1 : 0;
        }
        return above;
    }

    @Override
    public SelectorState save() {
        List<List<Number>> labels = new ArrayList<>();
        seen.forEach((d, count) -> labels.add(List.of(d, count)));
        return new SelectorState(Map.of("rng", rng.state(), "seen", labels), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        rng.setState(((Number) state.values().get("rng")).longValue());
        seen.clear();
        seenTotal = 0;
        for (List<Number> pair : (List<List<Number>>) state.values().get("seen")) {
            long count = pair.get(1).longValue();
            seen.put(pair.get(0).doubleValue(), count);
            seenTotal += count;
        }
    }
}
