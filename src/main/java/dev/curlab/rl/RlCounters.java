package dev.curlab.rl;

import java.util.List;
import java.util.Map;

/** The RL loop's counters (the compute ledger), kept as the run goes; a checkpoint saves them in its {@link RlState}. */
final class RlCounters {
    long step;                  // steps completed
    long optimizerSteps;        // policy updates taken (a step whose groups all lack signal takes none)
    long rollouts;              // completions sampled for training, every generation round, kept or filtered
    long rolloutsTrained;       // completions whose (non-zero) advantages entered an update
    long rolloutsProbe;         // completions sampled by a curator's probes
    long problemsUsed;          // picked problems (every round)
    long tokensGenerated;       // completion tokens of training rollouts
    long tokensProbe;           // completion tokens of probe rollouts
    long groups;                // generated groups so far
    long zeroVarianceGroups;    // generated groups whose G successes were all equal (before any filter)
    long curatorForwardTokens;  // token positions of the curator's own no-grad passes (hidden states, log-probs)
    long probeForwardTokens;    // token positions of the curator's probe rollouts
    long bankPosition;          // problems drawn from the bank
    double flopsSampling;
    double flopsUpdate;
    double flopsCurator;
    double flopsProbes;
    double wallSeconds;         // time in training steps (evaluation excluded)
    double accuracy = Double.NaN; // latest greedy pass@1 on the held-out set

    /** FLOPs of sampling, update, curator and probes together (evaluation's are not counted). */
    double flopsTotal() {
        return flopsSampling + flopsUpdate + flopsCurator + flopsProbes;
    }

    /** The counters as state.json holds them (the step is the store's). */
    void putInto(Map<String, Object> st) {
        st.put("rollouts", rollouts);
        st.put("optimizer_steps_rl", optimizerSteps);
        st.put("rollouts_trained", rolloutsTrained);
        st.put("rollouts_probe", rolloutsProbe);
        st.put("tokens_probe", tokensProbe);
        st.put("probe_forward_tokens", probeForwardTokens);
        st.put("wall_seconds", wallSeconds);
        st.put("problems_used", problemsUsed);
        st.put("tokens_generated", tokensGenerated);
        st.put("groups", groups);
        st.put("zero_variance_groups", zeroVarianceGroups);
        st.put("curator_forward_tokens", curatorForwardTokens);
        st.put("bank_position", bankPosition);
        st.put("flops", List.of(flopsSampling, flopsUpdate, flopsCurator, flopsProbes));
        st.put("accuracy", Double.isNaN(accuracy) ? null : accuracy);
    }

    /** The counters of a state.json; fields added after the first RL checkpoints default as those runs had them. */
    @SuppressWarnings("unchecked")
    static RlCounters from(Map<String, Object> st) {
        RlCounters s = new RlCounters();
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
        return s;
    }

    static long num(Map<String, Object> st, String key) {
        return ((Number) st.get(key)).longValue();
    }

    private static long numOr(Map<String, Object> st, String key, long dflt) {
        return st.get(key) instanceof Number n ? n.longValue() : dflt;
    }
}
