package dev.curlab.train;

import dev.curlab.data.Tokenizer;
import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.eval.DownstreamTasks;
import dev.curlab.eval.Evaluator;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.WindowScorer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pretraining run's evaluation: the held-out eval loss, overall and by source, and at --task-every downstream accuracy. */
final class TrainEvaluation {
    private final TrainConfig cfg;
    private final Gpt2Model model;
    private final WindowScorer scorer;
    private final Tokenizer tokenizer;
    private final HeldoutData heldout;
    private final Evaluator evaluator = new Evaluator(32);

    TrainEvaluation(TrainConfig cfg, Gpt2Model model, WindowScorer scorer, Tokenizer tokenizer, HeldoutData heldout) {
        this.cfg = cfg;
        this.model = model;
        this.scorer = scorer;
        this.tokenizer = tokenizer;
        this.heldout = heldout;
    }

    /** One evaluation: its mean eval loss and its metrics line. */
    record Measured(double loss, Map<String, Object> line) {
    }

    Measured measure(long step, long examples, long candidatesSeen) {
        Evaluator.Losses losses = evaluator.losses(scorer, model.manager(), heldout.eval());
        double loss = losses.mean();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "eval");
        line.put("step", step);
        line.put("examples_trained", examples);
        line.put("candidates_seen", candidatesSeen);
        line.put("eval_loss", StepAccounting.finite(loss));
        line.put("eval_ppl", StepAccounting.finite(Math.exp(loss)));
        losses.bySource().forEach((source, l) -> line.put("eval_loss_" + source, StepAccounting.finite(l)));   // same windows, split by source
        DownstreamSchedule tasks = cfg.downstream();
        if (tasks.scoresAt(step, step == cfg.steps())) {                       // --task-every: downstream accuracy as training goes
            for (DownstreamTasks.TaskResult r : DownstreamTasks.run(model, tokenizer, tasks.paths(), tasks.mmluShots(), tasks.limit())) {
                line.put("task/" + r.task() + "/acc", r.acc());
                if (!Double.isNaN(r.accNorm())) {
                    line.put("task/" + r.task() + "/acc_norm", r.accNorm());
                }
            }
        }
        return new Measured(loss, line);
    }
}
