package dev.curlab.select.softq;

import dev.curlab.select.softq.ReplayBuffer.Transition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Multi-step credit for soft-q ({@code --q-nstep n}): the last n picks (x_t, r_t, rho_t) wait here until
 * the state n steps after the oldest is scored, and then leave as one replay transition whose TD target is
 * the n-step expansion of eq. 3 under the soft Bellman operator,
 * <pre>
 *   y = sum_{i=0}^{n-1} gamma^i (1 - gamma) r_{t+i}  -  beta sum_{i=1}^{n-1} gamma^i rho_{t+i}  +  gamma^n V(X_{t+n})
 * </pre>
 * with V the target network's soft value (eq. 4, under the prior when there is one) and rho_s =
 * log pi(a_s | s_s) - log pi0(a_s | s_s) the log-ratio of the action taken at step s to the prior
 * (log N pi(a_s) without one): the entropy (KL) bonus that V(s) = E_pi[Q(s, a) - beta rho] adds at every
 * intermediate state. For n = 1 it is eq. 3. The transition stores everything but the tail as its
 * reward, G = y - gamma^n V, and the replay recomputes V from the current target network.
 *
 * <p>Off-policy correction: none, as in n-step DQN (Hessel et al. 2018, "Rainbow") and n-step SAC
 * variants: the intermediate actions came from the policy of their time (at most n - 1 updates old when
 * the transition enters the buffer, older when replayed), and the return is used as if from the current
 * one. A skipped step (no finite reward) ends the chain: the waiting picks are dropped.
 */
final class NStepReturns {
    /** One pick waiting for its n-step return: features, reward (after --reward-norm) and log-ratio. */
    record Pick(float[] x, double r, double rho) {
    }

    private final int n;
    private final double gamma;
    private final ArrayDeque<Pick> waiting = new ArrayDeque<>();

    NStepReturns(int n, double gamma) {
        this.n = n;
        this.gamma = gamma;
    }

    /** G = sum_{i<n} gamma^i (1 - gamma) r_i - beta sum_{1<=i<n} gamma^i rho_i (rho_0 is not used). */
    static double partialReturn(double[] r, double[] rho, double gamma, double beta) {
        double g = 0;
        double discount = 1;
        for (int i = 0; i < r.length; i++) {
            g += discount * (1 - gamma) * r[i];
            if (i > 0) {
                g -= beta * discount * rho[i];
            }
            discount *= gamma;
        }
        return g;
    }

    /** y = G + gamma^n V, the n-step target for n = r.length. */
    static double target(double[] r, double[] rho, double v, double gamma, double beta) {
        return partialReturn(r, rho, gamma, beta) + Math.pow(gamma, r.length) * v;
    }

    /** gamma^n, the weight of the tail's soft value. */
    double tailDiscount() {
        return Math.pow(gamma, n);
    }

    /**
     * Adds the pick made at step t (its reward now known) with the candidates X_{t+1} just scored; returns
     * the transition of the pick made n - 1 steps earlier, now that its tail state X_{t+1} is known, or null.
     */
    Transition push(Pick p, double beta, float[] next, float[] nextPrior) {
        waiting.addLast(p);
        if (waiting.size() < n) {
            return null;
        }
        double[] r = new double[n];
        double[] rho = new double[n];
        Iterator<Pick> it = waiting.iterator();
        for (int i = 0; i < n; i++) {
            Pick q = it.next();
            r[i] = q.r();
            rho[i] = q.rho();
        }
        Pick oldest = waiting.removeFirst();
        return new Transition(oldest.x(), partialReturn(r, rho, gamma, beta), next, nextPrior);
    }

    /** Ends the chain (a skipped step). */
    void clear() {
        waiting.clear();
    }

    /** The waiting picks, oldest first (checkpoints). */
    List<Pick> waiting() {
        return new ArrayList<>(waiting);
    }

    /** Restores what {@link #waiting()} returned. */
    void restore(List<Pick> picks) {
        waiting.clear();
        waiting.addAll(picks);
    }

    /**
     * rho = log pi(a) - log pi0(a) for the policy pi = softmax((q + prior) / beta) and pi0 = softmax(prior / beta)
     * (prior null: pi0 uniform over the N, rho = log N pi(a)).
     */
    static double logRatio(double[] pi, double[] prior, double beta, int a) {
        double logPi = Math.log(pi[a]);
        if (prior == null) {
            return logPi + Math.log(pi.length);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double p : prior) {
            max = Math.max(max, p / beta);
        }
        double sum = 0;
        for (double p : prior) {
            sum += Math.exp(p / beta - max);
        }
        return logPi - (prior[a] / beta - max - Math.log(sum));
    }
}
