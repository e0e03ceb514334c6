package dev.curlab.cli;

import dev.curlab.select.softq.SoftQConfig;
import picocli.CommandLine.Option;

/** Command-line options of the soft-Q selector; defaults from {@link SoftQConfig#DEFAULT}. */
final class SoftQOptions {
    private static final SoftQConfig D = SoftQConfig.DEFAULT;

    @Option(names = "--beta", description = "soft-q: Boltzmann temperature beta > 0 (default: 0.1).")
    double beta = D.beta();

    @Option(names = "--gamma", description = "soft-q: discount gamma in [0, 1); 0 = contextual bandit (default: 0.9).")
    double gamma = D.gamma();

    @Option(names = "--tau", description = "soft-q: Polyak rate of the target network, in (0, 1] (default: 0.01).")
    double tau = D.tau();

    @Option(names = "--q-lr", description = "soft-q: Q-network learning rate eta (default: 1e-3).")
    double qLr = D.qLr();

    @Option(names = "--q-clip", description = "soft-q: max global gradient norm G_q of the Q update, 0 = off (default: 1.0).")
    double qClip = D.qClip();

    @Option(names = "--q-hidden", description = "soft-q: hidden width of the Q-network (default: 32).")
    int qHidden = D.qHidden();

    @Option(names = "--q-optimizer", description = "soft-q: adam or sgd for the Q-network (default: adam).")
    String qOptimizer = D.qOptimizer();

    @Option(names = "--soft-mixture", description = "soft-q: train on all N candidates weighted by the policy (paper sec. 2.6).")
    boolean softMixture = D.softMixture();

    @Option(names = "--reward-norm", description = "soft-q: none or running (standardise rewards by their running mean/std) (default: none).")
    String rewardNorm = D.rewardNorm();

    @Option(names = "--explore-floor", description = "soft-q: mix the policy with uniform so no candidate is below eps/N (default: 0).")
    double exploreFloor = D.exploreFloor();

    @Option(names = "--q-init-scale", description = "soft-q: scale of the Q output layer's initial weights (default: 1).")
    double qInitScale = D.qInitScale();

    @Option(names = "--paper-exact", description = "soft-q: the paper's algorithm only: absolute reward, no reward norm, no floor, plain init, B = 1.")
    boolean paperExact = D.paperExact();

    SoftQConfig toConfig() {
        return new SoftQConfig(beta, gamma, tau, qLr, qClip, qHidden, qOptimizer, softMixture, rewardNorm,
                exploreFloor, qInitScale, paperExact);
    }
}
