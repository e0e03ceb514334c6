package dev.curlab.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunDirectory;
import dev.curlab.train.StopSignal;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starting and resuming RL runs: the run directory (shared with pretraining runs) around an {@link RlTrainer}. */
public final class RlRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RlRuns() {
    }

    /** A new run in {@code out}; with {@code overwrite}, a run there is kept until the new one's first checkpoint. */
    public static RlTrainer start(RlConfig cfg, Path out, boolean overwrite, RlListener listener, StopSignal stop) {
        RlMemory.require(cfg, RlMemory.shapeOf(cfg));                        // one line, before anything is read or written
        return open(RunDirectory.createFor(out, cfg, overwrite), cfg, listener, stop, false);
    }

    /** Resumes the RL run in {@code dir}, continued to {@code steps} in all (0 = its saved steps). */
    public static RlTrainer resume(Path dir, long steps, RlListener listener, StopSignal stop) {
        RlConfig saved = savedConfig(dir);
        RlConfig cfg = steps > 0 ? saved.withSteps(steps) : saved;
        RlMemory.require(cfg, RlMemory.shape(recorded(dir).shape()));
        return open(RunDirectory.openWith(dir, cfg), cfg, listener, stop, true);
    }

    private static RlTrainer open(RunDirectory run, RlConfig cfg, RlListener listener, StopSignal stop, boolean resume) {
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
        try {
            Map<String, Object> root = JSON.readValue(dir.resolve("config.json").toFile(), Map.class);
            if (root.get("resolved") instanceof Map<?, ?> r) {
                Object shape = r.get("model");
                Object tok = r.get("tokenizer");
                return new Recorded(shape instanceof Map<?, ?> m ? (Map<String, Object>) m : null, tok instanceof String t ? t : null);
            }
            return new Recorded(null, null);
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": config.json is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /** The RL config saved in {@code dir}/config.json. */
    public static RlConfig savedConfig(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError("--resume " + dir + ": no curlab run there (config.json not found)");
        }
        try {
            Map<?, ?> root = JSON.readValue(file.toFile(), Map.class);
            Object c = root.get("config");
            if (!(c instanceof Map<?, ?> m) || !m.containsKey("tasks")) {
                throw new UserError("--resume " + dir + ": not an RL run (resume it with curlab train --resume)");
            }
            return JSON.convertValue(c, RlConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": config.json is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }
}
