package dev.curlab.select.baselines;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Competence-based curriculum (Platanios et al. 2019, "Competence-based Curriculum Learning for
 * Neural Machine Translation"): a candidate is admitted at step t when the percentile of its
 * difficulty among the difficulties seen so far in the stream is at most the competence c(t)
 * (square-root schedule). It picks uniformly among admitted candidates; when fewer than B are
 * admitted it fills up with the easiest of the rest (so with none admitted it takes the easiest).
 *
 * <p>Difficulty ({@code --competence-difficulty}) is one of:
 * <ul>
 *   <li>label: the window's difficulty tag; percentiles among every label seen so far;</li>
 *   <li>rarity: the paper's model-free word rarity, as a mean over the window's tokens of
 *       -log p(token), p the add-one-smoothed unigram frequency over every candidate seen so far
 *       (this step's included); percentiles among the last {@link #RARITY_MEMORY} rarities. The
 *       counts grow every step, so the same window may score differently later;</li>
 *   <li>auto: label if every window of the first batch carries one, else rarity; kept for the run.</li>
 * </ul>
 */
public final class CompetenceSelector implements Selector {
    /**
     * Rarities kept for percentiles: a ring of the most recent ones. Rarities drift as the counts
     * grow, so old values are stale anyway; the ring bounds memory and checkpoint size.
     */
    static final int RARITY_MEMORY = 8192;

    private final Rng rng;
    private final int selectBatch;
    private final double c0;
    private final long horizon;
    private final String configured;     // auto, label or rarity, as given
    private final int memory;
    private String mode;                 // configured, except that auto becomes label or rarity at the first batch
    private final TreeMap<Double, Long> seen = new TreeMap<>();   // difficulty -> count among those remembered
    private long seenTotal;
    private final ArrayDeque<Double> recent = new ArrayDeque<>(); // rarity: the remembered values, oldest first
    private final long[] counts;         // rarity: unigram count of each token id
    private long tokens;                 // rarity: sum of counts

    /**
     * @param difficulty auto, label or rarity
     * @param vocab      V, token ids are in [0, V)
     */
    public CompetenceSelector(long seed, int selectBatch, double c0, long horizon, String difficulty, int vocab) {
        this(seed, selectBatch, c0, horizon, difficulty, vocab, RARITY_MEMORY);
    }

    /** As above, remembering at most {@code memory} rarities (tests use a small ring). */
    CompetenceSelector(long seed, int selectBatch, double c0, long horizon, String difficulty, int vocab, int memory) {
        this.rng = Rng.derive(seed, "selector/competence");
        this.selectBatch = selectBatch;
        this.c0 = c0;
        this.horizon = horizon;
        this.configured = difficulty;
        this.mode = difficulty;
        this.memory = memory;
        this.counts = new long[vocab];
    }

    /** c(t) = min(1, sqrt(t (1 - c0^2) / T + c0^2)) (Platanios et al. 2019, square-root competence). */
    public static double competence(long t, long horizon, double c0) {
        return Math.min(1.0, Math.sqrt(t * (1 - c0 * c0) / horizon + c0 * c0));
    }

    /**
     * Word rarity (Platanios et al. 2019), averaged over tokens: (1/n) sum_k -log p(w_k), with
     * p(w) = (count(w) + 1) / (total + V), the add-one-smoothed unigram frequency.
     */
    public static double rarity(int[] window, long[] counts, long total) {
        double logZ = Math.log((double) total + counts.length);
        double sum = 0;
        for (int w : window) {
            sum += logZ - Math.log(counts[w] + 1.0);
        }
        return sum / window.length;
    }

    @Override
    public String name() {
        return "competence";
    }

    /** Reads labels or token counts, never the model: no scoring pass, no reward pass. */
    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Set<Label> requires() {
        return configured.equals("label") ? Set.of(Label.DIFFICULTY) : Set.of();
    }

    /** auto (until the first batch), label or rarity. */
    String mode() {
        return mode;
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        int n = batch.size();
        if (mode.equals("auto")) {
            mode = allLabelled(batch) ? "label" : "rarity";   // decided once, from the first batch
        }
        double[] difficulty = mode.equals("label") ? labels(batch) : rarities(batch);
        for (double d : difficulty) {
            remember(d);   // the stream's running record, this step included
        }
        double c = competence(batch.step(), horizon, c0);
        double[] percentile = new double[n];
        List<Integer> admitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            percentile[i] = percentile(difficulty[i]);
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
            fillWithEasiest(difficulty, picks, k);
        }
        metrics.put("competence_c", c);
        metrics.put("competence_admitted", n - countAbove(percentile, c));
        metrics.put("selected_percentile", percentile[picks[0]]);
        metrics.put("selected_difficulty_score", difficulty[picks[0]]);
        return Picks.selection(picks);
    }

    private static boolean allLabelled(CandidateBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.window(i).hasDifficulty()) {
                return false;
            }
        }
        return true;
    }

    private double[] labels(CandidateBatch batch) {
        double[] d = new double[batch.size()];
        for (int i = 0; i < d.length; i++) {
            // --competence-difficulty label is checked by the trainer; auto may meet a gap later on
            UserError.require(batch.window(i).hasDifficulty(), "--selector competence uses difficulty labels (the first step's"
                    + " windows all had one), but window " + batch.window(i).id() + " at step " + batch.step()
                    + " has none; use --competence-difficulty rarity");
            d[i] = batch.window(i).difficulty();
        }
        return d;
    }

    /** Counts this step's candidates' tokens, then scores each candidate's rarity. */
    private double[] rarities(CandidateBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            for (int w : batch.window(i).tokens()) {
                counts[w]++;
            }
            tokens += batch.window(i).tokens().length;
        }
        double[] d = new double[batch.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rarity(batch.window(i).tokens(), counts, tokens);
        }
        return d;
    }

    /** Adds d to the record; in rarity mode the oldest value beyond the ring is forgotten. */
    private void remember(double d) {
        seen.merge(d, 1L, Long::sum);
        seenTotal++;
        if (mode.equals("rarity")) {
            recent.addLast(d);
            if (recent.size() > memory) {
                seen.computeIfPresent(recent.removeFirst(), (key, count) -> count == 1 ? null : count - 1);
                seenTotal--;
            }
        }
    }

    /** Fraction of the difficulties remembered that are <= d (the empirical CDF of difficulty). */
    double percentile(double d) {
        long atMost = 0;
        for (long count : seen.headMap(d, true).values()) {
            atMost += count;
        }
        return (double) atMost / seenTotal;
    }

    /** Picks [from, B) are the easiest candidates not yet picked (ties broken at random). */
    private void fillWithEasiest(double[] difficulty, int[] picks, int from) {
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < difficulty.length; i++) {
            rest.add(i);
        }
        for (int j = 0; j < from; j++) {
            rest.remove(Integer.valueOf(picks[j]));
        }
        for (int j = from; j < picks.length; j++) {
            double easiest = Double.POSITIVE_INFINITY;
            for (int i : rest) {
                easiest = Math.min(easiest, difficulty[i]);
            }
            List<Integer> ties = new ArrayList<>();
            for (int i : rest) {
                if (difficulty[i] == easiest) {
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

    /** rng and mode; label: the label counts; rarity: the remembered rarities and the unigram counts. */
    @Override
    public SelectorState save() {
        List<List<Number>> labels = new ArrayList<>();
        if (mode.equals("label")) {
            seen.forEach((d, count) -> labels.add(List.of(d, count)));
        }
        List<Long> unigrams = new ArrayList<>();
        if (mode.equals("rarity")) {
            for (long count : counts) {
                unigrams.add(count);
            }
        }
        return new SelectorState(Map.of("rng", rng.state(), "mode", mode, "seen", labels,
                "recent", List.copyOf(recent), "counts", unigrams), Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        Map<String, Object> v = state.values();
        rng.setState(((Number) v.get("rng")).longValue());
        mode = (String) v.getOrDefault("mode", "label");   // checkpoints from before rarity were label-only
        seen.clear();
        seenTotal = 0;
        recent.clear();
        for (List<Number> pair : (List<List<Number>>) v.get("seen")) {
            long count = pair.get(1).longValue();
            seen.put(pair.get(0).doubleValue(), count);
            seenTotal += count;
        }
        for (Number d : (List<Number>) v.getOrDefault("recent", List.of())) {
            remember(d.doubleValue());
        }
        List<Number> unigrams = (List<Number>) v.getOrDefault("counts", List.of());
        java.util.Arrays.fill(counts, 0);
        tokens = 0;
        if (mode.equals("rarity")) {
            UserError.require(unigrams.size() == counts.length, "checkpoint: competence has unigram counts for "
                    + unigrams.size() + " token ids, but the vocabulary has " + counts.length);
            for (int w = 0; w < counts.length; w++) {
                counts[w] = unigrams.get(w).longValue();
                tokens += counts[w];
            }
        }
    }
}
