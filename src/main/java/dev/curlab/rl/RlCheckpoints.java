package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Tokenizer;
import dev.curlab.model.Assign;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.optim.AdamW;
import dev.curlab.train.CheckpointStore;
import dev.curlab.train.MetricsLog;
import dev.curlab.train.RunDirectory;
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
    private final RunDirectory run;
    private final Gpt2Model model;
    private final Gpt2Model reference;   // the KL penalty's frozen starting policy, or null
    private final AdamW optimizer;
    private final Curator curator;
    private final Tokenizer tokenizer;
    private final CheckpointStore store;

    RlCheckpoints(RunDirectory run, Gpt2Model model, Gpt2Model reference, AdamW optimizer, Curator curator, Tokenizer tokenizer) {
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
        st.put("problems_used", s.problemsUsed);
        st.put("tokens_generated", s.tokensGenerated);
        st.put("groups", s.groups);
        st.put("zero_variance_groups", s.zeroVarianceGroups);
        st.put("curator_forward_tokens", s.curatorForwardTokens);
        st.put("bank_position", s.bankPosition);
        st.put("flops", List.of(s.flopsSampling, s.flopsUpdate, s.flopsCurator));
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

    /** Restores the newest intact checkpoint's optimizer, counters and generators (the model was read by the caller); returns the metrics length. */
    @SuppressWarnings("unchecked")
    long restore(RlState s, Rng sampleRng, Rng curatorRng, Consumer<String> warn) {
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
            Map<String, NDArray> params = ck.tensors().getOrDefault("model", Map.of());
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                Assign.from(e.getValue(), params.get(e.getKey()));
            }
            if (reference != null) {
                Map<String, NDArray> ref = ck.tensors().get("reference");
                if (ref == null) {
                    throw new UserError("checkpoint " + ck.dir() + " holds no reference policy (reference.safetensors), which --kl-coef needs");
                }
                for (Map.Entry<String, NDArray> e : reference.parameters().entrySet()) {
                    Assign.from(e.getValue(), ref.get(e.getKey()));
                }
            }
            Map<String, float[]> opt = new LinkedHashMap<>();
            ck.tensors().getOrDefault("optimizer", Map.of()).forEach((k, v) -> opt.put(k, v.toFloatArray()));
            optimizer.restore(opt, num(st, "optimizer_steps"));
            s.step = num(st, "step");
            s.rollouts = num(st, "rollouts");
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
            s.accuracy = st.get("accuracy") instanceof Number n ? n.doubleValue() : Double.NaN;
            sampleRng.setState(num(st, "sample_rng"));
            curatorRng.setState(num(st, "curator_rng"));
            curator.restore((Map<String, Object>) st.get("curator"));
            run.log("resumed from " + ck.dir() + " at step " + s.step);
            return num(st, "metrics_bytes");
        }
    }

    private static long num(Map<String, Object> st, String key) {
        return ((Number) st.get(key)).longValue();
    }

}
