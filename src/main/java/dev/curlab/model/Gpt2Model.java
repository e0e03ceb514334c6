package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 language model with its parameters in one long-lived manager, addressed by their
 * Hugging Face names ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, {@code ln_f.bias}, ...).
 * Forward passes put every temporary in the caller's step manager.
 */
public final class Gpt2Model implements AutoCloseable {
    private final GptConfig config;
    private final NDManager manager;
    private final Gpt2 net;
    private final Map<String, NDArray> parameters;

    /** A freshly initialised model; the seed fixes every weight. */
    public Gpt2Model(GptConfig config, long seed) {
        this.config = config;
        this.manager = NDManager.newBaseManager(Devices.current());
        ModelConstants k = new ModelConstants(manager, config.headDim());
        this.net = new Gpt2(config, new WeightInit(seed, config.layers()), k);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        this.parameters = Collections.unmodifiableMap(namedParameters());
    }

    private Map<String, NDArray> namedParameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        put(p, "wte.weight", net.wte);
        put(p, "wpe.weight", net.wpe);
        for (int i = 0; i < net.h.size(); i++) {
            TransformerBlock b = net.h.get(i);
            String pre = "h." + i + ".";
            put(p, pre + "ln_1.weight", b.ln1.weight);
            put(p, pre + "ln_1.bias", b.ln1.bias);
            put(p, pre + "attn.c_attn.weight", b.attn.cAttn.weight);
            put(p, pre + "attn.c_attn.bias", b.attn.cAttn.bias);
            put(p, pre + "attn.c_proj.weight", b.attn.cProj.weight);
            put(p, pre + "attn.c_proj.bias", b.attn.cProj.bias);
            put(p, pre + "ln_2.weight", b.ln2.weight);
            put(p, pre + "ln_2.bias", b.ln2.bias);
            put(p, pre + "mlp.c_fc.weight", b.mlp.cFc.weight);
            put(p, pre + "mlp.c_fc.bias", b.mlp.cFc.bias);
            put(p, pre + "mlp.c_proj.weight", b.mlp.cProj.weight);
            put(p, pre + "mlp.c_proj.bias", b.mlp.cProj.bias);
        }
        put(p, "ln_f.weight", net.lnF.weight);
        put(p, "ln_f.bias", net.lnF.bias);
        return p;
    }

    private static void put(Map<String, NDArray> p, String name, Parameter param) {
        NDArray a = param.getArray();
        a.setName(name);
        p.put(name, a);
    }

    public GptConfig config() {
        return config;
    }

    /** The manager that owns the parameters (and the model's constants). */
    public NDManager manager() {
        return manager;
    }

    /** Parameters by Hugging Face name, in a fixed order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /** Final-LayerNorm hidden states (B, T, C) for token ids (B, T), all temporaries in {@code step}. */
    public NDArray hidden(NDManager step, NDArray ids) {
        return net.hidden(step, ids, false);
    }

    /**
     * The same for no-grad scoring: each block's temporaries are freed when it is done (call outside
     * a gradient collector; the result is then no use for backward).
     */
    public NDArray hiddenForScoring(NDManager step, NDArray ids) {
        return net.hidden(step, ids, true);
    }

    /**
     * Incremental decoding: hidden states (B, T, C) of T new positions after those in {@code cache},
     * whose keys and values it extends (then {@link KvCache#commit}). ids, positions (B, T) int64;
     * mask (B, 1, T, Tk + T) additive, 0 where a query may look and -1e9 elsewhere. No gradient.
     */
    public NDArray hiddenCached(NDManager step, NDArray ids, NDArray positions, NDArray mask, KvCache cache) {
        return net.hiddenCached(step, ids, positions, mask, cache);
    }

    /** A key/value cache for this model's layers holding up to {@code capacity} positions per row, in a sub-manager of {@code parent}. */
    public KvCache newCache(NDManager parent, int capacity) {
        return new KvCache(parent, config.layers(), capacity);
    }

    /** Tied-head logits (b, T, V) from hidden states (b, T, C). */
    public NDArray logits(NDManager step, NDArray hidden) {
        return net.logits(step, hidden);
    }

    /** Copies every parameter value from another model of the same shape. */
    public void copyFrom(Gpt2Model other) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            Assign.from(e.getValue(), other.parameters.get(e.getKey()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
