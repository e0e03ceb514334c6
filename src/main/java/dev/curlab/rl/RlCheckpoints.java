package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Assign;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.optim.AdamW;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.MetricsLog;
import dev.curlab.run.RunDirectory;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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

    Path write(RlState s, Rng sampleRng, Rng curatorRng, MetricsLog metrics) {
        metrics.sync();
        Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
        tensors.put("model", model.parameters());
        tensors.put("optimizer", optimizer.state());
        if (reference != null) {
            tensors.put("reference", reference.parameters());
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("loop", "rl");
        st.put("rollouts", s.rollouts);
        st.put("optimizer_steps_rl", s.optimizerSteps);
        st.put("rollouts_trained", s.rolloutsTrained);
        st.put("rollouts_probe", s.rolloutsProbe);
        st.put("tokens_probe", s.tokensProbe);
        st.put("probe_forward_tokens", s.probeForwardTokens);
        st.put("wall_seconds", s.wallSeconds);
        st.put("problems_used", s.problemsUsed);
        st.put("tokens_generated", s.tokensGenerated);
        st.put("groups", s.groups);
        st.put("zero_variance_groups", s.zeroVarianceGroups);
        st.put("curator_forward_tokens", s.curatorForwardTokens);
        st.put("bank_position", s.bankPosition);
        st.put("flops", List.of(s.flopsSampling, s.flopsUpdate, s.flopsCurator, s.flopsProbes));
        st.put("accuracy", Double.isNaN(s.accuracy) ? null : s.accuracy);
        st.put("sample_rng", sampleRng.state());
        st.put("curator_rng", curatorRng.state());
        st.put("curator_name", curator.name());
        st.put("curator", curator.save());
        st.put("optimizer", optimizer.name());
        st.put("optimizer_steps", optimizer.steps());
        st.put("metrics_bytes", metrics.length());
        st.put("model", model.config().shapeMap());
        st.put("tokenizer", tokenizer.name());
        Path dir = store.write(s.step, tensors, st);
        run.log("checkpoint " + dir);
        return dir;
    }

    /**
     * Restores the newest intact checkpoint's policy, optimizer, counters and generators; returns the
     * metrics length. {@code runShape} is the policy shape the run recorded in its config.json (null
     * when it records none): a checkpoint of another shape or tokenizer is refused with what differs.
     */
    @SuppressWarnings("unchecked")
    long restore(RlState s, Rng sampleRng, Rng curatorRng, Map<String, Object> runShape, String runTokenizer, Consumer<String> warn) {
        try (NDManager tmp = model.manager().newSubManager()) {
            Optional<CheckpointStore.Loaded> found = store.loadLatest(tmp, warn);
            if (found.isEmpty()) {
                throw new UserError("--resume " + run.dir() + ": no intact checkpoint to resume from");
            }
            CheckpointStore.Loaded ck = found.get();
            Map<String, Object> st = ck.state();
            if (!curator.name().equals(st.get("curator_name"))) {
                throw new UserError("checkpoint " + ck.dir() + " is of curator " + st.get("curator_name") + ", not " + curator.name());
            }
            Map<String, Object> expected = runShape != null ? runShape : model.config().shapeMap();
            String diff = shapeDifference(st.get("model"), expected);
            if (!diff.isEmpty()) {
                throw new UserError("checkpoint " + ck.dir() + " holds another policy than this run's (" + run.dir().resolve("config.json")
                        + "): " + diff);
            }
            String expectedTokenizer = runTokenizer != null ? runTokenizer : tokenizer.name();
            if (!expectedTokenizer.equals(st.get("tokenizer"))) {
                throw new UserError("checkpoint " + ck.dir() + " holds a policy of tokenizer " + st.get("tokenizer") + ", this run's is "
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
            optimizer.restore(opt, num(st, "optimizer_steps"));
            s.step = num(st, "step");
            s.rollouts = num(st, "rollouts");
            s.optimizerSteps = numOr(st, "optimizer_steps_rl", s.step);          // checkpoints before the ledger: one update per step
            s.rolloutsTrained = numOr(st, "rollouts_trained", 0);
            s.rolloutsProbe = numOr(st, "rollouts_probe", 0);
            s.tokensProbe = numOr(st, "tokens_probe", 0);
            s.probeForwardTokens = numOr(st, "probe_forward_tokens", 0);
            s.wallSeconds = st.get("wall_seconds") instanceof Number w ? w.doubleValue() : 0;
            s.problemsUsed = num(st, "problems_used");
            s.tokensGenerated = num(st, "tokens_generated");
            s.groups = num(st, "groups");
            s.zeroVarianceGroups = num(st, "zero_variance_groups");
            s.curatorForwardTokens = num(st, "curator_forward_tokens");
            s.bankPosition = num(st, "bank_position");
            List<Number> flops = (List<Number>) st.get("flops");
            s.flopsSampling = flops.get(0).doubleValue();
            s.flopsUpdate = flops.get(1).doubleValue();
            s.flopsCurator = flops.get(2).doubleValue();
            s.flopsProbes = flops.size() > 3 ? flops.get(3).doubleValue() : 0;
            s.accuracy = st.get("accuracy") instanceof Number n ? n.doubleValue() : Double.NaN;
            sampleRng.setState(num(st, "sample_rng"));
            curatorRng.setState(num(st, "curator_rng"));
            curator.restore((Map<String, Object>) st.get("curator"));
            run.log("resumed from " + ck.dir() + " at step " + s.step);
            return num(st, "metrics_bytes");
        }
    }

    /** Every parameter of {@code target} from the checkpoint's tensor group, each checked for presence and shape. */
    private static void assign(CheckpointStore.Loaded ck, String group, Gpt2Model target) {
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

    private static long num(Map<String, Object> st, String key) {
        return ((Number) st.get(key)).longValue();
    }

    private static long numOr(Map<String, Object> st, String key, long dflt) {
        return st.get(key) instanceof Number n ? n.longValue() : dflt;
    }

}
