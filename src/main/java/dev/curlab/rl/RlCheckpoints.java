package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Assign;
import dev.curlab.model.Gpt2Model;
import dev.curlab.optim.AdamW;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.MetricsLog;
import dev.curlab.run.RunDirectory;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An RL run's checkpoints in the shared {@link CheckpointStore}: the policy and AdamW state as
 * tensors; the counters, the bank position, the sampling and curator generators, the curator's state
 * and the metrics length in state.json. Restoring them continues the run bit for bit.
 */
final class RlCheckpoints {
    private final RunDirectory<?> run;
    private final Gpt2Model model;
    private final Gpt2Model reference;   // the KL penalty's frozen starting policy, or null
    private final AdamW optimizer;
    private final Curator curator;
    private final Tokenizer tokenizer;
    private final CheckpointStore store;

    RlCheckpoints(RunDirectory<?> run, Gpt2Model model, Gpt2Model reference, AdamW optimizer, Curator curator, Tokenizer tokenizer) {
        this.run = run;
        this.model = model;
        this.reference = reference;
        this.optimizer = optimizer;
        this.curator = curator;
        this.tokenizer = tokenizer;
        this.store = new CheckpointStore(run.dir());
    }

    Path write(RlCounters s, Rng sampleRng, Rng curatorRng, MetricsLog metrics) {
        metrics.sync();
        Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
        tensors.put("model", model.parameters());
        tensors.put("optimizer", optimizer.state());
        if (reference != null) {
            tensors.put("reference", reference.parameters());
        }
        RlState st = new RlState(s, sampleRng.state(), curatorRng.state(), curator.name(), curator.save(), optimizer.name(),
                optimizer.steps(), metrics.length(), model.config().shapeMap(), tokenizer.name());
        Path dir = store.write(s.step, tensors, st, RlState.CODEC);
        run.log("checkpoint " + dir);
        return dir;
    }

    /**
     * Restores the newest intact checkpoint's policy, reference and optimizer and returns its state,
     * whose counters and generator states the trainer takes. {@code runShape} is the policy shape the
     * run recorded in its config.json (null when it records none): a checkpoint of another shape or
     * tokenizer is refused with what differs.
     */
    RlState restore(Map<String, Object> runShape, String runTokenizer, Consumer<String> warn) {
        try (NDManager tmp = model.manager().newSubManager()) {
            Optional<CheckpointStore.Restored<RlState>> found = store.loadLatest(tmp, RlState.CODEC, warn);
            if (found.isEmpty()) {
                throw new UserError("--resume " + run.dir() + ": no intact checkpoint to resume from");
            }
            CheckpointStore.Restored<RlState> ck = found.get();
            RlState st = ck.state();
            if (!curator.name().equals(st.curatorName())) {
                throw new UserError("checkpoint " + ck.dir() + " is of curator " + st.curatorName() + ", not " + curator.name());
            }
            Map<String, Object> expected = runShape != null ? runShape : model.config().shapeMap();
            String diff = shapeDifference(st.model(), expected);
            if (!diff.isEmpty()) {
                throw new UserError("checkpoint " + ck.dir() + " holds another policy than this run's (" + run.dir().resolve("config.json")
                        + "): " + diff);
            }
            String expectedTokenizer = runTokenizer != null ? runTokenizer : tokenizer.name();
            if (!expectedTokenizer.equals(st.tokenizer())) {
                throw new UserError("checkpoint " + ck.dir() + " holds a policy of tokenizer " + st.tokenizer() + ", this run's is "
                        + expectedTokenizer);
            }
            assign(ck, "model", model);
            if (reference != null) {
                if (!ck.tensors().containsKey("reference")) {
                    throw new UserError("checkpoint " + ck.dir() + " holds no reference policy (reference.safetensors), which --kl-coef needs");
                }
                assign(ck, "reference", reference);
            }
            Map<String, float[]> opt = new LinkedHashMap<>();
            ck.tensors().getOrDefault("optimizer", Map.of()).forEach((k, v) -> opt.put(k, v.toFloatArray()));
            optimizer.restore(opt, st.optimizerSteps());
            curator.restore(st.curator());
            run.log("resumed from " + ck.dir() + " at step " + st.counters().step);
            return st;
        }
    }

    /** Every parameter of {@code target} from the checkpoint's tensor group, each checked for presence and shape. */
    private static void assign(CheckpointStore.Restored<?> ck, String group, Gpt2Model target) {
        Map<String, NDArray> saved = ck.tensors().getOrDefault(group, Map.of());
        for (Map.Entry<String, NDArray> e : target.parameters().entrySet()) {
            NDArray a = saved.get(e.getKey());
            if (a == null || !a.getShape().equals(e.getValue().getShape())) {
                throw new UserError("checkpoint " + ck.dir() + ": " + group + " parameter " + e.getKey() + " is "
                        + (a == null ? "missing" : "of shape " + a.getShape()) + ", expected " + e.getValue().getShape());
            }
            Assign.from(e.getValue(), a);
        }
    }

    /**
     * What differs between a checkpoint's recorded shape and the expected one, as
     * {@code "d_model 128 in the checkpoint, 64 expected; ..."}, or "" when they agree.
     */
    static String shapeDifference(Object saved, Map<String, Object> expected) {
        if (!(saved instanceof Map<?, ?> got)) {
            return "it records no model shape";
        }
        StringBuilder sb = new StringBuilder();
        java.util.Set<Object> keys = new java.util.LinkedHashSet<>(expected.keySet());
        keys.addAll(got.keySet());
        for (Object k : keys) {
            Object a = got.get(k);
            Object b = expected.get(k);
            boolean same = a instanceof Number x && b instanceof Number y ? x.longValue() == y.longValue() : java.util.Objects.equals(a, b);
            if (!same) {
                sb.append(sb.length() == 0 ? "" : "; ").append(k).append(' ').append(a == null ? "(none)" : a).append(" in the checkpoint, ")
                        .append(b == null ? "(none)" : b).append(" expected");
            }
        }
        return sb.toString();
    }
}
