package dev.curlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Assign;
import dev.curlab.model.Gpt2Model;
import dev.curlab.optim.Optimizer;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.RunDirectory;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pretraining run's checkpoints in the shared {@link CheckpointStore}: the model, optimizer and
 * selector tensors as tensor groups, the rest as a {@link TrainState}. A run that replaces another
 * (--overwrite) puts itself in place with its first checkpoint.
 */
final class TrainCheckpoints {
    private final RunDirectory<TrainConfig> run;
    private final Gpt2Model model;
    private final Optimizer optimizer;
    private final Selector selector;
    private final Tokenizer tokenizer;
    private CheckpointStore store;  // re-pointed when a staged --overwrite run takes its place

    TrainCheckpoints(RunDirectory<TrainConfig> run, Gpt2Model model, Optimizer optimizer, Selector selector, Tokenizer tokenizer) {
        this.run = run;
        this.model = model;
        this.optimizer = optimizer;
        this.selector = selector;
        this.tokenizer = tokenizer;
        this.store = new CheckpointStore(run.dir());
    }

    /** Completed checkpoints, newest first. */
    List<Path> list() {
        return store.list();
    }

    /** Writes the checkpoint of {@code step}; a staged run then takes the place of the one it replaces. Returns its directory. */
    Path write(long step, TrainState state) {
        Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
        tensors.put("model", model.parameters());
        tensors.put("optimizer", optimizer.state());
        tensors.put("selector", state.selector().tensors());
        Path dir;
        try {
            dir = store.write(step, tensors, state, TrainState.CODEC);
        } catch (java.io.UncheckedIOException e) {
            List<Path> kept = store.list();
            throw new UserError(e.getMessage() + "; " + (run.staged()
                    ? "the run in " + run.target() + " was left as it was"
                    : kept.isEmpty() ? "no checkpoint was written yet"
                    : "the last good checkpoint is " + kept.get(0) + "; free space and resume with: curlab train --resume " + run.dir()), e);
        }
        if (run.staged()) { // the new run's first checkpoint is on disk: now it replaces the old one
            Path within = run.dir().relativize(dir);
            run.commit();
            store = new CheckpointStore(run.dir());
            dir = run.dir().resolve(within);
        }
        run.log("checkpoint " + dir);
        return dir;
    }

    /**
     * Restores the newest intact checkpoint's model, optimizer and selector; returns it, whose state
     * the trainer takes its counters and generator from. {@code warn} hears of each damaged checkpoint skipped.
     */
    CheckpointStore.Restored<TrainState> restore(Consumer<String> warn) {
        List<String> problems = new ArrayList<>();
        Consumer<String> tell = msg -> {
            problems.add(msg);
            warn.accept(msg);
        };
        try (NDManager tmp = model.manager().newSubManager()) {
            Optional<CheckpointStore.Restored<TrainState>> found = store.loadLatest(tmp, TrainState.CODEC, tell);
            if (found.isEmpty()) {
                throw new UserError("--resume " + run.dir() + ": no intact checkpoint to resume from"
                        + (problems.isEmpty() ? "" : " (" + problems.get(0).replace("; trying an older checkpoint", "") + ")"));
            }
            CheckpointStore.Restored<TrainState> ck = found.get();
            TrainState st = ck.state();
            Map<String, Object> expectShape = model.config().shapeMap();
            if (!expectShape.equals(st.model()) || !tokenizer.name().equals(st.tokenizer())) {
                throw new UserError("checkpoint " + ck.dir() + " is of another model or vocabulary (" + st.model()
                        + ", tokenizer " + st.tokenizer() + "); this run expects " + expectShape + ", tokenizer " + tokenizer.name());
            }
            Map<String, NDArray> params = ck.tensors().getOrDefault("model", Map.of());
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray saved = params.get(e.getKey());
                if (saved == null || !saved.getShape().equals(e.getValue().getShape())) {
                    throw new UserError("checkpoint " + ck.dir() + ": parameter " + e.getKey() + " is missing or of another shape");
                }
                Assign.from(e.getValue(), saved);
            }
            Map<String, float[]> opt = new LinkedHashMap<>();
            ck.tensors().getOrDefault("optimizer", Map.of()).forEach((k, v) -> opt.put(k, v.toFloatArray()));
            optimizer.restore(opt, st.optimizerSteps());
            selector.restore(new SelectorState(st.selector().values(), ck.tensors().getOrDefault("selector", Map.of())));
            return ck;
        }
    }
}
