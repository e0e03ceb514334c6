package dev.curlab.train;

import dev.curlab.run.StateCodec;
import dev.curlab.select.SelectorState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pretraining checkpoint holds besides the model's and optimizer's tensors: the counters, the
 * data stream's position, the held-out subset generator, the optimizer's step count, the selector's
 * state (its values here, its tensors in selector.safetensors) and the model shape and tokenizer it
 * belongs to. Restoring it continues the run bit for bit.
 *
 * @param examplesTrained examples the LM update trained on
 * @param candidatesSeen  candidates drawn from the stream
 * @param nonfiniteSkips  updates skipped on a non-finite value (--on-nonfinite skip)
 * @param lastEvalLoss    the latest held-out eval loss (NaN before the first)
 * @param metricsBytes    metrics.jsonl's length when the checkpoint was written (a resume cuts it back to this)
 * @param dataPosition    windows drawn from the training stream
 * @param heldoutRng      state of the generator of the held-out reward subsets
 * @param optimizer       the optimizer's name
 * @param optimizerSteps  the optimizer's step count
 * @param selectorName    the selector's name
 * @param selector        the selector's state (values and tensors)
 * @param model           the model shape
 * @param tokenizer       the tokenizer's name
 */
record TrainState(long examplesTrained, long candidatesSeen, long nonfiniteSkips, double lastEvalLoss, long metricsBytes,
        long dataPosition, long heldoutRng, String optimizer, long optimizerSteps, String selectorName, SelectorState selector,
        Map<String, Object> model, String tokenizer) {

    /** state.json's fields (the store adds format, version, step and files; the selector's tensors are a tensor group). */
    static final StateCodec<TrainState> CODEC = StateCodec.of(TrainState::encode, TrainState::decode);

    private Map<String, Object> encode() {
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("examples_trained", examplesTrained);
        st.put("candidates_seen", candidatesSeen);
        st.put("nonfinite_skips", nonfiniteSkips);
        st.put("last_eval_loss", lastEvalLoss);
        st.put("metrics_bytes", metricsBytes);
        st.put("data_position", dataPosition);
        st.put("heldout_rng", heldoutRng);
        st.put("optimizer", optimizer);
        st.put("optimizer_steps", optimizerSteps);
        st.put("selector_name", selectorName);
        st.put("selector", selector.values());
        st.put("model", model);
        st.put("tokenizer", tokenizer);
        return st;
    }

    /** Version 1 (the only one so far); the selector's tensors are filled in from the checkpoint's selector group. */
    @SuppressWarnings("unchecked")
    private static TrainState decode(Map<String, Object> st, int version) {
        return new TrainState(num(st, "examples_trained"), num(st, "candidates_seen"), num(st, "nonfinite_skips"),
                st.get("last_eval_loss") instanceof Number n ? n.doubleValue() : Double.NaN, num(st, "metrics_bytes"),
                num(st, "data_position"), num(st, "heldout_rng"), (String) st.get("optimizer"), num(st, "optimizer_steps"),
                (String) st.get("selector_name"), new SelectorState((Map<String, Object>) st.get("selector"), Map.of()),
                st.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : null, (String) st.get("tokenizer"));
    }

    private static long num(Map<String, Object> st, String key) {
        return ((Number) st.get(key)).longValue();
    }
}
