package dev.curlab.rl;

import dev.curlab.run.RunDirectory;
import dev.curlab.run.RunKind;
import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.Map;

/** Starting and resuming RL runs: the run directory (shared with pretraining runs) around an {@link RlTrainer}. */
public final class RlRuns {
    /** An RL run's kind: its config.json holds an {@link RlConfig} (told by its "tasks"). */
    public static final RunKind<RlConfig> KIND = new RunKind<>("an RL run", RlConfig.class, "tasks", "resume it with curlab train --resume");

    private RlRuns() {
    }

    /** A new run in {@code out}; with {@code overwrite}, a run there is kept until the new one's first checkpoint. */
    public static RlTrainer start(RlConfig cfg, Path out, boolean overwrite, RunListener listener, StopSignal stop) {
        RlMemory.require(cfg, RlMemory.shapeOf(cfg));                        // one line, before anything is read or written
        return open(RunDirectory.create(out, cfg, overwrite), cfg, listener, stop, false);
    }

    /** Resumes the RL run in {@code dir}, continued to {@code steps} in all (0 = its saved steps). */
    public static RlTrainer resume(Path dir, long steps, RunListener listener, StopSignal stop) {
        RlConfig saved = savedConfig(dir);
        RlConfig cfg = steps > 0 ? saved.withSteps(steps) : saved;
        RlMemory.require(cfg, RlMemory.shape(recorded(dir).shape()));
        return open(RunDirectory.openWith(dir, cfg), cfg, listener, stop, true);
    }

    private static RlTrainer open(RunDirectory<RlConfig> run, RlConfig cfg, RunListener listener, StopSignal stop, boolean resume) {
        try {
            RlTrainer t = new RlTrainer(cfg, run, listener, stop, resume);
            if (resume && cfg.steps() <= t.stepsDone()) {
                t.close();
                throw new UserError("--steps " + cfg.steps() + ": the run in " + run.dir() + " has already done " + t.stepsDone()
                        + " steps; give more to continue it");
            }
            return t;
        } catch (RuntimeException | Error e) {
            run.close();
            throw e;
        }
    }

    /** The policy shape and tokenizer a run recorded in config.json when it started (nulls when it records none). */
    record Recorded(Map<String, Object> shape, String tokenizer) {
    }

    @SuppressWarnings("unchecked")
    static Recorded recorded(Path dir) {
        if (RunDirectory.savedRoot(dir).get("resolved") instanceof Map<?, ?> r) {
            Object shape = r.get("model");
            Object tok = r.get("tokenizer");
            return new Recorded(shape instanceof Map<?, ?> m ? (Map<String, Object>) m : null, tok instanceof String t ? t : null);
        }
        return new Recorded(null, null);
    }

    /** The RL config saved in {@code dir}/config.json; a pretraining run there is refused. */
    public static RlConfig savedConfig(Path dir) {
        return RunDirectory.savedConfig(dir, KIND);
    }
}
