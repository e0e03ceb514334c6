package dev.curlab.select.softq;

import dev.curlab.util.Rng;
import java.util.Arrays;

/**
 * The paper's equations as pure functions over plain arrays, named after its symbols. Everything is
 * in double precision and max-shifted, so large Q / beta neither overflows nor underflows to NaN.
 */
public final class SoftQMath {

    private SoftQMath() {
    }

    /** V = beta * log sum_a' exp(q[a'] / beta), max-shifted (eq. 4). */
    public static double softValue(double[] q, double beta) {
        double max = max(q);
        double sum = 0;
        for (double x : q) {
            sum += Math.exp((x - max) / beta);
        }
        return max + beta * Math.log(sum);
    }

    /** y = (1 - gamma) r + gamma V (eq. 3). */
    public static double tdTarget(double r, double v, double gamma) {
        return (1 - gamma) * r + gamma * v;
    }

    /** 1/2 (qhat - y)^2 (Algorithm 1, line 19). */
    public static double tdLoss(double qHat, double y) {
        double e = qHat - y;
        return 0.5 * e * e;
    }

    /** pi_i = exp(q_i / beta) / sum_j exp(q_j / beta), max-shifted (eq. 6). */
    public static double[] boltzmann(double[] q, double beta) {
        double max = max(q);
        double[] pi = new double[q.length];
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            pi[i] = Math.exp((q[i] - max) / beta);
            sum += pi[i];
        }
        for (int i = 0; i < q.length; i++) {
            pi[i] /= sum;
        }
        return pi;
    }

    /** (1 - eps) pi + eps / N: no probability below eps / N (an option, not in the paper). */
    public static double[] exploreFloor(double[] pi, double eps) {
        double[] out = new double[pi.length];
        for (int i = 0; i < pi.length; i++) {
            out[i] = (1 - eps) * pi[i] + eps / pi.length;
        }
        return out;
    }

    /**
     * One step of the temperature towards a target entropy (as SAC tunes alpha, not in the paper):
     * log beta += lr (target - H / ln N), so a policy sharper than the target is softened and a flatter
     * one sharpened; beta stays in [1e-4, 1e4].
     */
    public static double adaptBeta(double beta, double entropyNorm, double target, double lr) {
        double next = beta * Math.exp(lr * (target - entropyNorm));
        return Math.min(1e4, Math.max(1e-4, next));
    }

    /** phibar <- tau phi + (1 - tau) phibar, one coordinate (eq. 5). */
    public static double polyak(double phi, double phiBar, double tau) {
        return tau * phi + (1 - tau) * phiBar;
    }

    /** Q* = r + gamma beta ln N / (1 - gamma), every action's value under a constant reward r (section 2.4). */
    public static double fixedPoint(double r, double gamma, double beta, int n) {
        return r + gamma * beta * Math.log(n) / (1 - gamma);
    }

    /** H(pi) = -sum pi log pi in nats (0 log 0 = 0). */
    public static double entropy(double[] pi) {
        double h = 0;
        for (double p : pi) {
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** 1 / sum pi_i^2, the soft batch size of a mixture update (section 2.6). */
    public static double effectiveExamples(double[] pi) {
        double s = 0;
        for (double p : pi) {
            s += p * p;
        }
        return 1 / s;
    }

    /**
     * {@code k} distinct indices drawn without replacement from pi by Gumbel-top-k: the k largest
     * log pi_i + G_i with G_i ~ Gumbel(0, 1). For k = 1 this is one draw from pi.
     */
    public static int[] gumbelTopK(double[] pi, int k, Rng rng) {
        int n = pi.length;
        double[] key = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            key[i] = Math.log(pi[i]) - Math.log(-Math.log1p(-u)); // -log(-log(1-u)): u in [0, 1)
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private static double max(double[] q) {
        if (q.length == 0) {
            throw new IllegalArgumentException("no Q-values");
        }
        double m = Double.NEGATIVE_INFINITY;
        for (double x : q) {
            m = Math.max(m, x);
        }
        return m;
    }
}
