package dev.curlab.eval;

import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Downstream tasks scored while a run trains ({@code --task NAME=PATH}, {@code --task-every K}): at the
 * evaluations whose step is a multiple of {@code every}, and at the last one; logged in the eval
 * line as {@code task/<name>/acc} (and {@code task/<name>/acc_norm} for HellaSwag).
 *
 * @param tasks     task name to file or directory (hellaswag=FILE, mmlu=DIR); empty: none
 * @param every     score every this many steps (a multiple of --eval-every); 0: only at the last evaluation
 * @param mmluShots MMLU examples from the dev split
 * @param limit     questions per task (0 = all)
 */
public record DownstreamSchedule(Map<String, String> tasks, long every, int mmluShots, int limit) {
    public static final DownstreamSchedule NONE = new DownstreamSchedule(Map.of(), 0, 0, 0);

    public DownstreamSchedule {
        tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks == null ? Map.of() : tasks));
        DownstreamTasks.validate(paths(tasks), "--task");
        UserError.require(every >= 0, "--task-every must be >= 0 (0 = at the last evaluation only), got " + every);
        UserError.require(every == 0 || !tasks.isEmpty(), "--task-every " + every + " needs the tasks to score: --task hellaswag=FILE or mmlu=DIR");
        UserError.require(mmluShots >= 0 && limit >= 0, "--mmlu-shots and --task-limit must be >= 0");
    }

    /** The schedule of a command line's --task, --task-every, --mmlu-shots and --task-limit. */
    public static DownstreamSchedule of(Map<String, Path> tasks, long every, int mmluShots, int limit) {
        Map<String, String> t = new LinkedHashMap<>();
        tasks.forEach((k, v) -> t.put(k, v.toString()));
        return new DownstreamSchedule(t, every, mmluShots, limit);
    }

    /** Fails unless the schedule's steps are evaluation steps. */
    public void requireEvalSteps(long evalEvery) {
        UserError.require(every % evalEvery == 0, "--task-every (" + every + ") must be a multiple of --eval-every (" + evalEvery
                + "): tasks are scored at evaluations");
    }

    /** Whether the evaluation at {@code step} scores the tasks ({@code last}: the run's final evaluation). */
    public boolean scoresAt(long step, boolean last) {
        return !tasks.isEmpty() && (last || every > 0 && step % every == 0);
    }

    /** The tasks as paths. */
    public Map<String, Path> paths() {
        return paths(tasks);
    }

    private static Map<String, Path> paths(Map<String, String> tasks) {
        Map<String, Path> p = new LinkedHashMap<>();
        tasks.forEach((k, v) -> p.put(k, Path.of(v)));
        return p;
    }
}
