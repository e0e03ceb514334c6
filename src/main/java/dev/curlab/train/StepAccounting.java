package dev.curlab.train;

import dev.curlab.eval.PassCost;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.model.WindowScores;
import dev.curlab.optim.GradientStep;
import dev.curlab.select.Selection;
import dev.curlab.select.StepMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The accounting beside a pretraining step: its phase timings and its metrics line (counters, the
 * update's and reward's figures, the picked window, and the passes the step ran, in tokens forwarded,
 * which RunData charges exactly). The step does the algorithm; this records what it cost.
 */
final class StepAccounting {
    private final TrainConfig cfg;
    private final Tokenizer tokenizer;
    private final boolean scores;       // the step runs the scoring pass
    private final boolean hiddenOnly;   // the scoring pass skips the head
    private final boolean paired;       // the paired reward: a held-out pass before the update too
    private final boolean align;        // the selector reads alignment (head gradients of candidates and held-out subset)
    private final boolean gram;         // the selector reads the candidates' Gram matrix
    private long t0;
    private long mark;
    private final Map<String, Double> ms = new LinkedHashMap<>();

    StepAccounting(TrainConfig cfg, Tokenizer tokenizer, boolean scores, boolean hiddenOnly, boolean paired, boolean align, boolean gram) {
        this.cfg = cfg;
        this.tokenizer = tokenizer;
        this.scores = scores;
        this.hiddenOnly = hiddenOnly;
        this.paired = paired;
        this.align = align;
        this.gram = gram;
    }

    /** The step starts: its clock starts. */
    void start() {
        ms.clear();
        t0 = System.nanoTime();
        mark = t0;
    }

    /** The time since the last mark is {@code phase}'s (added to it: learning happens twice); null: the time counts to no phase. */
    void lap(String phase) {
        long now = System.nanoTime();
        if (phase != null) {
            ms.merge(phase, ms(now - mark), Double::sum);
        }
        mark = now;
    }

    /** What one step did, for its metrics line. */
    record Step(long step, long examples, long candidatesSeen, long nonfiniteSkips, double lr, GradientStep.Result update,
            boolean measured, double reward, double heldoutLogProb, java.util.List<Window> windows, Selection selection,
            WindowScores candidates, int subsetSize, StepMetrics metrics) {
    }

    /** The step's metrics line. */
    Map<String, Object> line(Step s) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "step");
        line.put("step", s.step());
        line.put("examples_trained", s.examples());
        line.put("candidates_seen", s.candidatesSeen());
        line.put("lr", s.lr());
        line.put("train_loss", finite(s.update().loss()));
        line.put("grad_norm", finite(s.update().gradNorm()));
        if (s.measured()) {
            line.put("reward", finite(s.reward()));
            line.put("heldout_logprob", finite(s.heldoutLogProb()));
        }
        int pick = s.selection().picked()[0];
        Window picked = s.windows().get(pick);
        line.put("selected_window", picked.id());
        line.put("selected_source", picked.source());
        line.put("selected_difficulty", picked.hasDifficulty() ? picked.difficulty() : null);
        if (s.candidates() != null) {
            line.put("selected_loss", s.candidates().loss()[pick]);
        }
        if (s.nonfiniteSkips() > 0) {
            line.put("nonfinite_skips", s.nonfiniteSkips());
        }
        // the passes this step ran, in tokens forwarded (RunData charges exactly these)
        int predictions = s.windows().get(0).predictions();
        int scored = cfg.selectorSettings().scoredPredictions(predictions);
        line.put("scoring_forward_tokens", scores ? PassCost.tokens(cfg.candidates(), scored) : 0L);
        if (hiddenOnly) {                                                       // the blocks without the output head
            line.put("scoring_trunk_tokens", PassCost.tokens(cfg.candidates(), scored));
        }
        line.put("reward_forward_tokens", s.measured() ? PassCost.tokens(s.subsetSize(), predictions) * (paired ? 2 : 1) : 0L);
        if (align) {                                                            // charged to scoring (RunData)
            line.put("alignment_head_tokens", PassCost.tokens(cfg.candidates(), scored) + PassCost.tokens(s.subsetSize(), predictions));
            if (!(paired && s.measured())) {
                line.put("alignment_forward_tokens", PassCost.tokens(s.subsetSize(), predictions));
            }
        }
        if (gram) {                                                             // N x T head-gradient rows, then the N x N Gram
            line.put("gram_head_tokens", PassCost.gramTokens(cfg.candidates(), scored));
        }
        StepMetrics m = s.metrics();
        line.putAll(m.asMap());
        if (m.candidateValues() != null && (s.step() % cfg.evalEvery() == 0 || s.step() == 1)) {
            CandidateTexts.put(line, s.windows(), m.candidateValues(), tokenizer);
        }
        for (String phase : new String[] {"data", "score", "learn", "select", "update", "reward"}) {
            line.put(phase + "_ms", ms.getOrDefault(phase, 0.0));
        }
        line.put("step_ms", ms(System.nanoTime() - t0));
        return line;
    }

    static Object finite(double v) {
        return Double.isFinite(v) ? v : String.valueOf(v);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
