package dev.curlab.select.softq;

import dev.curlab.util.UserError;
import java.util.List;

/**
 * Options of the soft-Q selector (paper sections 2.1-2.6). The defaults are the paper's setting where
 * the paper gives a value (gamma, tau, width) and documented choices where it does not (beta, eta, G_q).
 *
 * @param beta         Boltzmann temperature beta > 0 (eqs. 4, 6)
 * @param gamma        discount 0 <= gamma < 1 (eq. 3); 0 = the contextual-bandit ablation (y = r)
 * @param tau          Polyak rate 0 < tau <= 1 of the target network (eq. 5); 1 = copy every step
 * @param qLr          eta, the Q-network learning rate
 * @param qClip        G_q, max global gradient norm of the Q update (0 = off)
 * @param qHidden      width of the Q-network's hidden layer (eq. 2: d -> width -> 1)
 * @param qOptimizer   adam (no weight decay) or sgd on phi
 * @param softMixture  train the LM on all N candidates weighted by pi (section 2.6, eq. 7)
 * @param rewardNorm   none (the paper) or running: standardise r by its running mean and std before eq. 3
 * @param exploreFloor eps in [0, 1]: the policy is (1 - eps) pi + eps / N, so no candidate gets below eps / N
 * @param qInitScale   factor on the output layer's initial weights and bias (1 = plain init)
 * @param paperExact   insist on the paper's algorithm: raw reward, no floor, plain init (the CLI
 *                     also forces the absolute reward and B = 1)
 */
public record SoftQConfig(double beta, double gamma, double tau, double qLr, double qClip, int qHidden,
                          String qOptimizer, boolean softMixture, String rewardNorm, double exploreFloor,
                          double qInitScale, boolean paperExact) {

    public static final List<String> Q_OPTIMIZERS = List.of("adam", "sgd");
    public static final List<String> REWARD_NORMS = List.of("none", "running");

    public static final SoftQConfig DEFAULT = new SoftQConfig(0.1, 0.9, 0.01, 1e-3, 1.0, 32,
            "adam", false, "none", 0.0, 1.0, false);

    public SoftQConfig {
        require(beta > 0 && Double.isFinite(beta), "--beta must be > 0, got " + beta);
        require(gamma >= 0 && gamma < 1, "--gamma must be in [0, 1) (0 = contextual bandit), got " + gamma);
        require(tau > 0 && tau <= 1, "--tau must be in (0, 1], got " + tau);
        require(qLr > 0 && Double.isFinite(qLr), "--q-lr must be > 0, got " + qLr);
        require(qClip >= 0 && Double.isFinite(qClip), "--q-clip must be >= 0 (0 disables clipping), got " + qClip);
        require(qHidden >= 1, "--q-hidden must be >= 1, got " + qHidden);
        require(Q_OPTIMIZERS.contains(qOptimizer), "--q-optimizer: expected adam or sgd, got '" + qOptimizer + "'");
        require(REWARD_NORMS.contains(rewardNorm), "--reward-norm: expected none or running, got '" + rewardNorm + "'");
        require(exploreFloor >= 0 && exploreFloor <= 1, "--explore-floor must be in [0, 1], got " + exploreFloor);
        require(qInitScale >= 0 && Double.isFinite(qInitScale), "--q-init-scale must be >= 0, got " + qInitScale);
        if (paperExact) {
            require(rewardNorm.equals("none"), "--paper-exact uses the raw reward; drop --reward-norm " + rewardNorm);
            require(exploreFloor == 0, "--paper-exact samples from the plain Boltzmann policy; drop --explore-floor " + exploreFloor);
            require(qInitScale == 1, "--paper-exact uses the plain Q-network init; drop --q-init-scale " + qInitScale);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }
}
