package dev.curlab.rl;

/** The RL loop's counters (the compute ledger): what a checkpoint saves besides tensors and generator states. */
final class RlState {
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
}
