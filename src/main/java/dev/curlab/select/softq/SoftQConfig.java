package dev.curlab.select.softq;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.curlab.util.Spelled;
import dev.curlab.util.UserError;
import java.util.List;

/**
 * Options of the soft-Q selector (paper sections 2.1-2.6). {@link #PAPER} is the paper's algorithm
 * (its gamma, tau and width; documented choices for beta, eta and G_q, which it does not give);
 * {@link #DEFAULT} is the product default, set from the measurements in docs/RESULTS.md.
 *
 * @param beta          Boltzmann temperature beta > 0 (eqs. 4, 6); the starting value when targetEntropy > 0
 * @param gamma         discount 0 <= gamma < 1 (eq. 3); 0 = the contextual-bandit ablation (y = r)
 * @param tau           Polyak rate 0 < tau <= 1 of the target network (eq. 5); 1 = copy every step
 * @param qLr           eta, the Q-network learning rate
 * @param qClip         G_q, max global gradient norm of the Q update (0 = off)
 * @param qHidden       width of the Q-network's hidden layer (eq. 2: input -> width -> 1)
 * @param qOptimizer    adam (no weight decay) or sgd on phi
 * @param softMixture   train the LM on all N candidates weighted by pi (section 2.6, eq. 7)
 * @param rewardNorm    none (the paper); running: standardise r by the mean and std of all rewards so far before
 *                      eq. 3; ema: by an exponential moving mean and variance (horizon ~1 / {@link RewardNorm#EMA_RATE} steps);
 *                      the statistics advance once per step with all of the step's rewards ({@link RewardNorm})
 * @param exploreFloor  eps in [0, 1]: the policy is (1 - eps) pi + eps / N, so no candidate gets below eps / N
 * @param qInitScale    factor on the output layer's initial weights and bias (1 = plain init)
 * @param features      what Q reads: hidden (the paper: h_x), hidden+loss (h_x and the candidate's loss,
 *                      z-scored over the N candidates), hidden+loss+raw (also the loss itself, in nats),
 *                      hidden+loss+entropy (z-scored loss and mean predictive entropy), hidden+loss+align
 *                      (z-scored loss and head alignment with the step's held-out subset), hidden+loss+reducible
 *                      (z-scored loss and reducible loss: loss minus that of an irreducible-loss model trained
 *                      on held-out data, as RHO-LOSS scores)
 * @param replay        transitions kept for TD updates (1 = only the newest, the paper)
 * @param tdUpdates     TD updates per step, each on a minibatch of the replay buffer
 * @param replayBatch   transitions per TD update: the newest plus replayBatch - 1 drawn uniformly (1 = the paper)
 * @param targetEntropy 0 = fixed beta (the paper); in (0, 1): beta is adapted so that H(pi) / ln N tracks it
 * @param credit        pick (the paper): one transition per step, the picked action(s) with the step's reward;
 *                      first-order: a transition for every candidate, rewarded with its first-order held-out
 *                      gain on the output head ({@link dev.curlab.select.CandidateBatch#alignment()}), N per step;
 *                      needs gamma 0 (a candidate not taken has no observed next state)
 * @param prior         none (the paper); reducible: the policy is pi0 exp(q / beta) / Z with the prior pi0 =
 *                      softmax(z(L - IL)) of RHO-LOSS's reducible loss (z-scored over the N), so Q learns a
 *                      correction to RHO-LOSS's preference instead of starting from uniform
 * @param paperExact    insist on the paper's algorithm (the CLI starts from {@link #PAPER} and also forces
 *                      the absolute reward and B = 1)
 * @param nstep         n of the n-step TD target ({@link NStepReturns}): 1 = the one-step target of eq. 3; n > 1
 *                      needs pick credit and gamma > 0
 */
public record SoftQConfig(double beta, double gamma, double tau, double qLr, double qClip, int qHidden,
                          QOptimizer qOptimizer, boolean softMixture, Norm rewardNorm, double exploreFloor,
                          double qInitScale, String features, int replay, int tdUpdates, int replayBatch,
                          double targetEntropy, Credit credit, Prior prior, boolean paperExact, int nstep) {

    /** --q-optimizer: the optimizer of phi. */
    public enum QOptimizer implements Spelled {
        ADAM, SGD;

        @JsonCreator
        public static QOptimizer of(String s) {
            return Spelled.parse(QOptimizer.class, "--q-optimizer", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --reward-norm: how r is standardised before eq. 3 ({@link RewardNorm}). */
    public enum Norm implements Spelled {
        NONE, RUNNING, EMA;

        @JsonCreator
        public static Norm of(String s) {
            return Spelled.parse(Norm.class, "--reward-norm", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --q-credit: which transitions a step adds. */
    public enum Credit implements Spelled {
        PICK, FIRST_ORDER;

        @JsonCreator
        public static Credit of(String s) {
            return Spelled.parse(Credit.class, "--q-credit", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** --q-prior: the policy's prior pi0. */
    public enum Prior implements Spelled {
        NONE, REDUCIBLE;

        @JsonCreator
        public static Prior of(String s) {
            return Spelled.parse(Prior.class, "--q-prior", s);
        }

        @Override
        public String toString() {
            return spelling();
        }
    }
    public static final List<String> FEATURES = List.of("hidden", "hidden+loss", "hidden+loss+raw", "hidden+loss+entropy", "hidden+loss+align",
            "hidden+loss+reducible");

    /** The paper's algorithm (Algorithm 1): one TD update per step on the newest transition, fixed beta. */
    public static final SoftQConfig PAPER = builder().beta(0.1).gamma(0.9).rewardNorm("none").qInitScale(1.0).features("hidden")
            .replay(1).tdUpdates(1).replayBatch(1).credit("pick").prior("none").build();

    /**
     * The product default (evidence: docs/RESULTS.md): the contextual-bandit case gamma = 0, Q reading
     * the candidate's loss (z-scored over the N) beside h_x, a transition for every candidate rewarded
     * with its first-order held-out gain, four TD updates per step on minibatches of 32 from the last 256
     * transitions, rewards standardised by a moving mean and variance, a near-zero output layer, fixed
     * beta 0.3, and RHO-LOSS's reducible-loss preference as the prior policy that Q corrects.
     */
    public static final SoftQConfig DEFAULT = builder().build();

    public SoftQConfig {
        if (nstep == 0) { // a run saved before the option existed
            nstep = 1;
        }
        UserError.require(nstep >= 1, "--q-nstep must be >= 1 (1 = the one-step target), got " + nstep);
        UserError.require(qOptimizer != null, "--q-optimizer: expected adam or sgd, got 'null'");
        UserError.require(rewardNorm != null, "--reward-norm: expected none, running or ema, got 'null'");
        UserError.require(credit != null, "--q-credit: expected pick or first-order, got 'null'");
        UserError.require(prior != null, "--q-prior: expected none or reducible, got 'null'");
        UserError.require(nstep == 1 || credit == Credit.PICK, "--q-nstep " + nstep + " needs --q-credit pick: an n-step "
                + "return follows the picked actions, got --q-credit " + credit);
        UserError.require(nstep == 1 || gamma > 0, "--q-nstep " + nstep + " needs --gamma > 0: with gamma 0 the n-step target is "
                + "the one-step reward");
        UserError.require(beta > 0 && Double.isFinite(beta), "--beta must be > 0, got " + beta);
        UserError.require(gamma >= 0 && gamma < 1, "--gamma must be in [0, 1) (0 = contextual bandit), got " + gamma);
        UserError.require(tau > 0 && tau <= 1, "--tau must be in (0, 1], got " + tau);
        UserError.require(qLr > 0 && Double.isFinite(qLr), "--q-lr must be > 0, got " + qLr);
        UserError.require(qClip >= 0 && Double.isFinite(qClip), "--q-clip must be >= 0 (0 disables clipping), got " + qClip);
        UserError.require(qHidden >= 1, "--q-hidden must be >= 1, got " + qHidden);
        UserError.require(exploreFloor >= 0 && exploreFloor <= 1, "--explore-floor must be in [0, 1], got " + exploreFloor);
        UserError.require(qInitScale >= 0 && Double.isFinite(qInitScale), "--q-init-scale must be >= 0, got " + qInitScale);
        UserError.require(FEATURES.contains(features), "--q-features: expected one of " + String.join(", ", FEATURES) + ", got '" + features + "'");
        UserError.require(replay >= 1, "--replay must be >= 1 (1 = only the newest transition), got " + replay);
        UserError.require(tdUpdates >= 1, "--td-updates must be >= 1, got " + tdUpdates);
        UserError.require(replayBatch >= 1 && replayBatch <= replay, "--replay-batch must be in [1, --replay (" + replay + ")], got " + replayBatch);
        UserError.require(targetEntropy >= 0 && targetEntropy < 1, "--target-entropy must be in [0, 1) (0 = fixed --beta), got " + targetEntropy);
        UserError.require(credit == Credit.PICK || gamma == 0, "--q-credit " + credit + " needs --gamma 0: the candidates not taken "
                + "have no observed next state to bootstrap from, got --gamma " + gamma);
        if (paperExact) {
            UserError.require(prior == Prior.NONE, "--paper-exact learns from a uniform start; drop --q-prior " + prior);
            UserError.require(credit == Credit.PICK, "--paper-exact rewards the picked action only; drop --q-credit " + credit);
            UserError.require(rewardNorm == Norm.NONE, "--paper-exact uses the raw reward; drop --reward-norm " + rewardNorm);
            UserError.require(exploreFloor == 0, "--paper-exact samples from the plain Boltzmann policy; drop --explore-floor " + exploreFloor);
            UserError.require(qInitScale == 1, "--paper-exact uses the plain Q-network init; drop --q-init-scale " + qInitScale);
            UserError.require(features.equals("hidden"), "--paper-exact reads the hidden state only; drop --q-features " + features);
            UserError.require(replay == 1 && tdUpdates == 1 && replayBatch == 1,
                    "--paper-exact makes one TD update on the newest transition; drop --replay, --td-updates, --replay-batch");
            UserError.require(targetEntropy == 0, "--paper-exact uses a fixed --beta; drop --target-entropy " + targetEntropy);
            UserError.require(nstep == 1, "--paper-exact uses the one-step target; drop --q-nstep " + nstep);
        }
    }

    /**
     * The largest beta for N candidates whose arithmetic stays within float32, the precision of the
     * Q-network, its TD targets and the replay buffer. With the prior the policy's logits are
     * q + beta z / 0.1, and |z| <= sqrt(N - 1) for a z-score over N (Samuelson's inequality); the soft
     * value V is at most the largest logit plus beta ln N, and gamma V is a TD target. So
     * beta (sqrt(N - 1) / 0.1 + ln N) must stay below Float.MAX_VALUE; half of that range is left to q.
     * Infinite for N = 1 (nothing depends on beta). Beyond about 1e17 the policy no longer changes anyway:
     * q / beta is below a double's resolution next to the prior (or the uniform policy without one).
     */
    public double maxBeta(int n) {
        double perBeta = Math.log(n) + (prior == Prior.REDUCIBLE ? Math.sqrt(n - 1.0) / SoftQSelector.PRIOR_TEMPERATURE : 0);
        return perBeta > 0 ? Float.MAX_VALUE / (2 * perBeta) : Double.POSITIVE_INFINITY;
    }

    /** Refuses a beta over {@link #maxBeta} for a run with N candidates. */
    public void requireBetaFits(int n) {
        UserError.require(beta <= maxBeta(n), String.format("--beta must be in (0, %.2g] for -N %d (%s must stay within float32), got %s",
                maxBeta(n), n, prior == Prior.REDUCIBLE ? "with --q-prior reducible the policy's logits beta z / 0.1 and the soft value"
                        : "the soft value beta log sum exp(q / beta)", beta));
    }

    /** Whether the scoring pass must compute the candidates' head alignment. */
    public boolean needsAlignment() {
        return firstOrderCredit() || features.equals("hidden+loss+align");
    }

    /** Whether Q reads the reducible loss, which needs an irreducible-loss model. */
    public boolean needsIrreducibleLoss() {
        return features.equals("hidden+loss+reducible") || prior == Prior.REDUCIBLE;
    }

    /** Whether every candidate gets a transition rewarded with its first-order gain. */
    public boolean firstOrderCredit() {
        return credit == Credit.FIRST_ORDER;
    }

    /** Width of the Q-network's input for hidden states of width d. */
    public int inputDim(int d) {
        return d + switch (features) {
            case "hidden" -> 0;
            case "hidden+loss" -> 1;
            default -> 2; // hidden+loss+raw, +entropy, +align, +reducible
        };
    }

    /** A builder starting from the product default ({@link #DEFAULT}), whose values it holds: the one place they are written. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.beta = beta;
        b.gamma = gamma;
        b.tau = tau;
        b.qLr = qLr;
        b.qClip = qClip;
        b.qHidden = qHidden;
        b.qOptimizer = qOptimizer;
        b.softMixture = softMixture;
        b.rewardNorm = rewardNorm;
        b.exploreFloor = exploreFloor;
        b.qInitScale = qInitScale;
        b.features = features;
        b.replay = replay;
        b.tdUpdates = tdUpdates;
        b.replayBatch = replayBatch;
        b.targetEntropy = targetEntropy;
        b.credit = credit;
        b.prior = prior;
        b.paperExact = paperExact;
        b.nstep = nstep;
        return b;
    }

    /** Sets options by name; {@link #build()} validates them as the constructor does. */
    public static final class Builder {
        private double beta = 0.3;
        private double gamma = 0.0;
        private double tau = 0.01;
        private double qLr = 1e-3;
        private double qClip = 1.0;
        private int qHidden = 32;
        private QOptimizer qOptimizer = QOptimizer.ADAM;
        private boolean softMixture = false;
        private Norm rewardNorm = Norm.EMA;
        private double exploreFloor = 0.0;
        private double qInitScale = 0.01;
        private String features = "hidden+loss";
        private int replay = 256;
        private int tdUpdates = 4;
        private int replayBatch = 32;
        private double targetEntropy = 0.0;
        private Credit credit = Credit.FIRST_ORDER;
        private Prior prior = Prior.REDUCIBLE;
        private boolean paperExact = false;
        private int nstep = 1;

        private Builder() {
        }

        public Builder beta(double v) {
            this.beta = v;
            return this;
        }

        public Builder gamma(double v) {
            this.gamma = v;
            return this;
        }

        public Builder tau(double v) {
            this.tau = v;
            return this;
        }

        public Builder qLr(double v) {
            this.qLr = v;
            return this;
        }

        public Builder qClip(double v) {
            this.qClip = v;
            return this;
        }

        public Builder qHidden(int v) {
            this.qHidden = v;
            return this;
        }

        public Builder qOptimizer(QOptimizer v) {
            this.qOptimizer = v;
            return this;
        }

        /** {@code qOptimizer} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder qOptimizer(String spelling) {
            return qOptimizer(QOptimizer.of(spelling));
        }

        public Builder softMixture(boolean v) {
            this.softMixture = v;
            return this;
        }

        public Builder rewardNorm(Norm v) {
            this.rewardNorm = v;
            return this;
        }

        /** {@code rewardNorm} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder rewardNorm(String spelling) {
            return rewardNorm(Norm.of(spelling));
        }

        public Builder exploreFloor(double v) {
            this.exploreFloor = v;
            return this;
        }

        public Builder qInitScale(double v) {
            this.qInitScale = v;
            return this;
        }

        public Builder features(String v) {
            this.features = v;
            return this;
        }

        public Builder replay(int v) {
            this.replay = v;
            return this;
        }

        public Builder tdUpdates(int v) {
            this.tdUpdates = v;
            return this;
        }

        public Builder replayBatch(int v) {
            this.replayBatch = v;
            return this;
        }

        public Builder targetEntropy(double v) {
            this.targetEntropy = v;
            return this;
        }

        public Builder credit(Credit v) {
            this.credit = v;
            return this;
        }

        /** {@code credit} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder credit(String spelling) {
            return credit(Credit.of(spelling));
        }

        public Builder prior(Prior v) {
            this.prior = v;
            return this;
        }

        /** {@code prior} by its command-line spelling; anything else is a one-line error naming the option. */
        public Builder prior(String spelling) {
            return prior(Prior.of(spelling));
        }

        public Builder paperExact(boolean v) {
            this.paperExact = v;
            return this;
        }

        public Builder nstep(int v) {
            this.nstep = v;
            return this;
        }

        public SoftQConfig build() {
            return new SoftQConfig(beta, gamma, tau, qLr, qClip, qHidden, qOptimizer, softMixture, rewardNorm, exploreFloor, qInitScale, features, replay, tdUpdates, replayBatch, targetEntropy, credit, prior, paperExact, nstep);
        }
    }
}
