package dev.curlab.rl;

import dev.curlab.run.StateCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an RL checkpoint holds besides the policy's, reference's and optimizer's tensors: the ledger's
 * counters (with the bank position and latest pass@1), the sampling and curator generators, the
 * curator's state, the optimizer's step count and the policy shape and tokenizer it belongs to.
 * Restoring it continues the run bit for bit.
 *
 * @param counters       the compute ledger's counters (a copy; the step among them)
 * @param sampleRng      state of the rollouts' sampling generator
 * @param curatorRng     state of the curator's generator
 * @param curatorName    the curator's name
 * @param curator        the curator's saved state
 * @param optimizer      the optimizer's name
 * @param optimizerSteps the optimizer's step count
 * @param metricsBytes   metrics.jsonl's length when written (a resume cuts it back to this)
 * @param model          the policy's shape
 * @param tokenizer      the tokenizer's name
 */
record RlState(RlCounters counters, long sampleRng, long curatorRng, String curatorName, Map<String, Object> curator, String optimizer,
        long optimizerSteps, long metricsBytes, Map<String, Object> model, String tokenizer) {

    /** state.json's fields (the store adds format, version, step and files). */
    static final StateCodec<RlState> CODEC = StateCodec.of(RlState::encode, RlState::decode);

    private Map<String, Object> encode() {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("loop", "rl");
        counters.putInto(st);
        st.put("sample_rng", sampleRng);
        st.put("curator_rng", curatorRng);
        st.put("curator_name", curatorName);
        st.put("curator", curator);
        st.put("optimizer", optimizer);
        st.put("optimizer_steps", optimizerSteps);
        st.put("metrics_bytes", metricsBytes);
        st.put("model", model);
        st.put("tokenizer", tokenizer);
        return st;
    }

    /** Version 1 (the only one so far). */
    @SuppressWarnings("unchecked")
    private static RlState decode(Map<String, Object> st, int version) {
        return new RlState(RlCounters.from(st), RlCounters.num(st, "sample_rng"), RlCounters.num(st, "curator_rng"),
                (String) st.get("curator_name"), (Map<String, Object>) st.get("curator"), (String) st.get("optimizer"),
                RlCounters.num(st, "optimizer_steps"), RlCounters.num(st, "metrics_bytes"), st.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : null,
                (String) st.get("tokenizer"));
    }
}
