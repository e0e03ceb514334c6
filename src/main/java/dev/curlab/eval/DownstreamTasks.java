package dev.curlab.eval;

import dev.curlab.data.Tokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The downstream multiple-choice tasks by name ({@code hellaswag=FILE}, {@code mmlu=DIR}), scored as
 * lm-evaluation-harness does (see {@link HellaSwag}, {@link Mmlu}, {@link MultipleChoiceEval}); shared
 * by {@code curlab eval} and {@code curlab compare}.
 */
public final class DownstreamTasks {
    public static final List<String> NAMES = List.of("hellaswag", "mmlu");

    private DownstreamTasks() {
    }

    /**
     * One task's result.
     *
     * @param accNorm length-normalised accuracy (HellaSwag); NaN for MMLU
     * @param byGroup accuracy per subject (MMLU)
     */
    public record TaskResult(String task, long questions, double acc, double accNorm, Map<String, Double> byGroup) {
    }

    /** Rejects unknown task names with a one-line error naming {@code option}. */
    public static void validate(Map<String, Path> tasks, String option) {
        for (String t : tasks.keySet()) {
            if (!NAMES.contains(t)) {
                throw new UserError(option + ": unknown task '" + t + "' (expected hellaswag=FILE or mmlu=DIR)");
            }
        }
    }

    /** Scores every task; {@code limit} 0 means all questions. */
    public static List<TaskResult> run(Gpt2Model model, Tokenizer tok, Map<String, Path> tasks, int mmluShots, int limit) {
        MultipleChoiceEval mc = MultipleChoiceEval.of(model, tok);
        List<TaskResult> out = new ArrayList<>();
        for (Map.Entry<String, Path> task : tasks.entrySet()) {
            boolean hs = task.getKey().equals("hellaswag");
            List<MultipleChoiceEval.Question> qs = hs ? HellaSwag.load(task.getValue(), limit)
                    : Mmlu.load(task.getValue(), mmluShots, limit);
            MultipleChoiceEval.Result r = mc.evaluate(qs, n -> { });
            out.add(new TaskResult(task.getKey(), r.questions(), r.acc(), hs ? r.accNorm() : Double.NaN, r.accByGroup()));
        }
        return out;
    }
}
