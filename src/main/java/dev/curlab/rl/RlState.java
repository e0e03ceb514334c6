package dev.curlab.rl;

/** The RL loop's counters: what a checkpoint saves besides tensors and generator states. */
final class RlState {
    long step;                  // steps completed
    long rollouts;              // completions sampled for training
    long problemsUsed;          // picked problems
    long tokensGenerated;       // completion tokens of training rollouts
    long groups;                // picked problems' groups so far
    long zeroVarianceGroups;    // groups whose G rewards were all equal
    long curatorForwardTokens;  // token positions the curator's probes computed
    long bankPosition;          // problems drawn from the bank
    double flopsSampling;
    double flopsUpdate;
    double flopsCurator;
    double accuracy = Double.NaN; // latest greedy pass@1 on the held-out set
}
