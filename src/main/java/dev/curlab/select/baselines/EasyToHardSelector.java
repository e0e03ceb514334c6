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
import java.util.TreeSet;

/**
 * The hand-written curriculum a practitioner tries first: the run's steps T split into K equal stages,
 * one per difficulty level, easiest first (Bengio et al. 2009; Skill-It's "skill curriculum" baseline,
 * which trains on the skills in order). At step t the stage is s = min(K - 1, floor(t K / T)) and the
 * level is the s-th smallest of the K distinct difficulty labels seen so far; the picks are uniform
 * among the candidates of that level, topped up by those of the nearest level (the lower first on a
 * tie) when it has too few. Windows without a difficulty label (noise on {@code builtin:mixture}) come
 * last. Unlike {@code competence} the earlier levels are not rehearsed.
 */
public final class EasyToHardSelector implements Selector {
    private final Rng rng;
    private final int selectBatch;
    private final long horizon;
    private final TreeSet<Double> levels = new TreeSet<>();

    public EasyToHardSelector(long seed, int selectBatch, long horizon) {
        this.rng = Rng.derive(seed, "selector/easy-to-hard");
        this.selectBatch = selectBatch;
        this.horizon = horizon;
    }

    /** s = min(K - 1, floor(t K / T)). */
    public static int stage(long t, long horizon, int levels) {
        return (int) Math.min(levels - 1, t * levels / horizon);
    }

    @Override
    public String name() {
        return "easy-to-hard";
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.window(i).hasDifficulty()) {
                levels.add(batch.window(i).difficulty());
            }
        }
        double level = levels.isEmpty() ? Double.NaN : new ArrayList<>(levels).get(stage(batch.step(), horizon, levels.size()));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            order.add(i);
        }
        // nearest level first (the lower on a tie), random within a level
        List<Integer> shuffled = new ArrayList<>();
        while (!order.isEmpty()) {
            shuffled.add(order.remove(rng.nextInt(order.size())));
        }
        shuffled.sort((a, b) -> {
            double da = batch.window(a).difficulty();
            double db = batch.window(b).difficulty();
            int c = Double.compare(distance(da, level), distance(db, level));
            return c != 0 || Double.isNaN(da) || Double.isNaN(db) ? c : Double.compare(da, db);
        });
        int[] picks = new int[selectBatch];
        for (int k = 0; k < selectBatch; k++) {
            picks[k] = shuffled.get(k);
        }
        metrics.put("easy_to_hard_level", level);
        return Picks.selection(picks);
    }

    /** |d - level|, and infinity for an unlabelled window (or none labelled yet: all equal). */
    private static double distance(double d, double level) {
        return Double.isNaN(level) ? 0 : Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.abs(d - level);
    }

    @Override
    public SelectorState save() {
        return new SelectorState(Map.of("rng", rng.state(), "levels", new ArrayList<>(levels)), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        state.restoreRng(rng);
        levels.clear();
        for (Number n : (List<Number>) state.values().get("levels")) {
            levels.add(n.doubleValue());
        }
    }
}
