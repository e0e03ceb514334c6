package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stratified sampling: every source gets an equal share of the picks, whatever its share of the stream
 * (the baseline no online mixing method beat consistently in Aioli, Chen et al. 2024). Each pick takes
 * the source with the fewest picks so far among those present in the candidates left (ties: uniformly
 * at random), then a uniform candidate of that source. With every source in every batch this is
 * round-robin; a source missing from a batch is made up when it is back, so over a run the sources'
 * counts differ by at most one while all keep appearing. A source seen for the first time starts at
 * the lowest count so far (it joins the rotation instead of taking every pick until it catches up).
 */
public final class StratifiedSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final Map<String, Long> picks = new LinkedHashMap<>();   // n_s: picks of source s so far

    public StratifiedSelector(long seed, int selectBatch) {
        this.rng = Rng.derive(seed, "selector/stratified");
        this.selectBatch = selectBatch;
    }

    @Override
    public String name() {
        return "stratified";
    }

    /** Reads neither the candidates' scores nor the reward: no scoring pass, no reward pass. */
    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.SOURCE);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            left.add(i);
            String s = batch.window(i).source();
            if (!picks.containsKey(s)) {
                picks.put(s, picks.values().stream().mapToLong(Long::longValue).min().orElse(0));
            }
        }
        int[] out = new int[selectBatch];
        for (int k = 0; k < selectBatch; k++) {
            Map<String, List<Integer>> bySource = new LinkedHashMap<>();
            for (int i : left) {
                bySource.computeIfAbsent(batch.window(i).source(), x -> new ArrayList<>()).add(i);
            }
            String s = leastPicked(new ArrayList<>(bySource.keySet()));
            out[k] = Picks.uniform(rng, bySource.get(s));
            picks.merge(s, 1L, Long::sum);
            left.remove(Integer.valueOf(out[k]));
        }
        return Picks.selection(out);
    }

    /** argmin over {@code present} of n_s, ties broken uniformly at random. */
    private String leastPicked(List<String> present) {
        long min = Long.MAX_VALUE;
        List<String> tied = new ArrayList<>();
        for (String s : present) {
            long n = picks.get(s);
            if (n < min) {
                min = n;
                tied.clear();
            }
            if (n == min) {
                tied.add(s);
            }
        }
        return tied.size() == 1 ? tied.get(0) : tied.get(rng.nextInt(tied.size()));
    }

    /** Picks per source so far (a copy). */
    public Map<String, Long> counts() {
        return new LinkedHashMap<>(picks);
    }

    @Override
    public SelectorState save() {
        return new SelectorState(Map.of("rng", rng.state(), "picks", new LinkedHashMap<>(picks)), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        rng.setState(((Number) state.values().get("rng")).longValue());
        picks.clear();
        ((Map<String, Number>) state.values().get("picks")).forEach((s, n) -> picks.put(s, n.longValue()));
    }
}
