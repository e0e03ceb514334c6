package dev.curlab.cli;

import dev.curlab.select.softq.SoftQConfig;
import dev.curlab.util.UserError;
import picocli.CommandLine.Option;

/**
 * Command-line options of the soft-Q selector. Defaults come from {@link SoftQConfig#DEFAULT}, or from
 * {@link SoftQConfig#PAPER} with {@code --paper-exact}; an option given explicitly wins over either.
 */
final class SoftQOptions {
    private static final SoftQConfig D = SoftQConfig.DEFAULT;

    @Option(names = "--beta", paramLabel = "BETA", description = "soft-q: Boltzmann temperature beta > 0; the start value with --target-entropy (default 0.3; paper-exact 0.1).")
    Double beta;

    @Option(names = "--gamma", paramLabel = "GAMMA", description = "soft-q: discount gamma in [0, 1); 0 = contextual bandit (default 0; paper 0.9).")
    Double gamma;

    @Option(names = "--tau", paramLabel = "TAU", description = "soft-q: Polyak rate of the target network, in (0, 1] (default 0.01).")
    Double tau;

    @Option(names = "--q-lr", paramLabel = "ETA", description = "soft-q: Q-network learning rate eta (default 1e-3).")
    Double qLr;

    @Option(names = "--q-clip", paramLabel = "G", description = "soft-q: max global gradient norm G_q of the Q update, 0 = off (default 1).")
    Double qClip;

    @Option(names = "--q-hidden", paramLabel = "WIDTH", description = "soft-q: hidden width of the Q-network (default 32).")
    Integer qHidden;

    @Option(names = "--q-optimizer", paramLabel = "NAME", description = "soft-q: adam or sgd for the Q-network (default adam).")
    String qOptimizer;

    @Option(names = "--soft-mixture", description = "soft-q: train on all N candidates weighted by the policy (paper sec. 2.6).")
    boolean softMixture;

    @Option(names = "--reward-norm", paramLabel = "MODE", description = "soft-q: none, running (standardise rewards by the mean/std of all so far) or ema (by a moving mean/variance over ~100 steps); "
            + "the statistics advance once per step with all of its rewards (default ema; paper none).")
    String rewardNorm;

    @Option(names = "--explore-floor", paramLabel = "EPS", description = "soft-q: mix the policy with uniform so no candidate is below eps/N (default 0).")
    Double exploreFloor;

    @Option(names = "--q-init-scale", paramLabel = "S", description = "soft-q: scale of the Q output layer's initial weights (default 0.01; paper 1).")
    Double qInitScale;

    @Option(names = "--q-features", paramLabel = "SET", description = "soft-q: hidden, hidden+loss, hidden+loss+raw, hidden+loss+entropy, hidden+loss+align or hidden+loss+reducible (loss, entropy, head alignment or RHO-LOSS's reducible loss z-scored over the N candidates; raw = the loss in nats too) (default hidden+loss; paper hidden).")
    String features;

    @Option(names = "--replay", paramLabel = "SIZE", description = "soft-q: recent transitions kept for TD updates, 1 = only the newest (default 256; paper 1).")
    Integer replay;

    @Option(names = "--td-updates", paramLabel = "K", description = "soft-q: TD updates per step (default 4; paper 1).")
    Integer tdUpdates;

    @Option(names = "--replay-batch", paramLabel = "B", description = "soft-q: transitions per TD update, the newest plus uniform draws from the buffer (default 32; paper 1).")
    Integer replayBatch;

    @Option(names = "--target-entropy", paramLabel = "H", description = "soft-q: 0 = fixed --beta; in (0, 1): adapt beta so that H(pi)/ln N tracks this value (default 0).")
    Double targetEntropy;

    @Option(names = "--q-credit", paramLabel = "MODE", description = "soft-q: pick (one transition per step: the picked candidate and the step's reward) "
            + "or first-order (a transition for every candidate, rewarded with its first-order held-out gain on the output head; needs --gamma 0) (default first-order).")
    String credit;

    @Option(names = "--q-prior", paramLabel = "PRIOR", description = "soft-q: none, or reducible: a prior policy softmax(z(L - IL)) from RHO-LOSS's reducible loss that Q corrects "
            + "(pi ~ pi0 exp(q/beta); trains an irreducible-loss model like rho-loss) (default reducible).")
    String prior;

    @Option(names = "--paper-exact", description = "soft-q: the paper's algorithm and settings (gamma 0.9, hidden-state features, one TD update, "
            + "fixed beta, raw absolute reward, plain init, no floor, B = 1, SGD on the LM).")
    boolean paperExact;

    @Option(names = "--q-nstep", paramLabel = "N", description = "soft-q: n of the n-step TD target from the replay of recent "
            + "picks, (1 - gamma) sum gamma^i r + soft-value terms + gamma^n V (needs --q-credit pick and --gamma > 0) (default 1).")
    Integer nstep;

    SoftQConfig toConfig() {
        SoftQConfig b = paperExact ? SoftQConfig.PAPER : D;
        UserError.require(nstep == null || nstep >= 1, "--q-nstep must be >= 1 (1 = the one-step target), got " + nstep);
        return b.toBuilder().beta(or(beta, b.beta())).gamma(or(gamma, b.gamma())).tau(or(tau, b.tau())).qLr(or(qLr, b.qLr()))
                .qClip(or(qClip, b.qClip())).qHidden(or(qHidden, b.qHidden())).qOptimizer(qOptimizer != null ? SoftQConfig.QOptimizer.of(qOptimizer) : b.qOptimizer())
                .softMixture(softMixture || b.softMixture()).rewardNorm(rewardNorm != null ? SoftQConfig.Norm.of(rewardNorm) : b.rewardNorm())
                .exploreFloor(or(exploreFloor, b.exploreFloor())).qInitScale(or(qInitScale, b.qInitScale()))
                .features(or(features, b.features())).replay(or(replay, b.replay())).tdUpdates(or(tdUpdates, b.tdUpdates()))
                .replayBatch(or(replayBatch, b.replayBatch())).targetEntropy(or(targetEntropy, b.targetEntropy()))
                .credit(credit != null ? SoftQConfig.Credit.of(credit) : b.credit()).prior(prior != null ? SoftQConfig.Prior.of(prior) : b.prior()).paperExact(paperExact).nstep(or(nstep, b.nstep()))
                .build();
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
