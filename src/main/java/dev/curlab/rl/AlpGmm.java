package dev.curlab.rl;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.util.Pair;

/**
 * The maths of ALP-GMM (Portelas, Colas, Hofmann and Oudeyer, CoRL 2019) as pure functions: the
 * absolute learning progress of a task sample, the mixture fit over (parameters, ALP) with the number
 * of components chosen by an information criterion, and the component sampling weights. EM is Apache
 * Commons Math's {@link MultivariateNormalMixtureExpectationMaximization} (deterministic: its initial
 * mixture splits the data sorted by the first column).
 */
public final class AlpGmm {
    /** EM stops after this many iterations or when the mean log-likelihood moves by less than {@link #EM_THRESHOLD}. */
    public static final int EM_ITERATIONS = 200;
    public static final double EM_THRESHOLD = 1e-5;

    private AlpGmm() {
    }

    /** One fitted Gaussian over (parameters, ALP): its mixture weight, mean and covariance. */
    public record Component(double weight, double[] mean, double[][] cov) {
        /** The ALP coordinate of the mean (the last one). */
        public double meanAlp() {
            return mean[mean.length - 1];
        }
    }

    /**
     * ALP of a new sample with outcome {@code r} at {@code x}: |r - r_nn|, r_nn the outcome of the
     * nearest earlier sample in parameter space (Euclidean; of equally near ones the most recent);
     * 0 when there is none. {@code history} rows are (x..., r), oldest first.
     */
    public static double alp(List<double[]> history, double[] x, double r) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = history.size() - 1; i >= 0; i--) {
            double d = dist2(history.get(i), x);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        if (best < 0) {
            return 0;
        }
        double[] h = history.get(best);
        return Math.abs(r - h[h.length - 1]);
    }

    /** Squared distance over the first {@code x.length} coordinates of {@code a}. */
    static double dist2(double[] a, double[] x) {
        double d = 0;
        for (int j = 0; j < x.length; j++) {
            d += (a[j] - x[j]) * (a[j] - x[j]);
        }
        return d;
    }

    /**
     * The probability of sampling each component: its mean ALP (clipped at 0) over the sum of them,
     * as in the paper's code (proportional to the mean's ALP coordinate, not to the mixture weight);
     * null when every mean ALP is <= 0 (nothing to prefer: the caller samples uniformly).
     */
    public static double[] componentWeights(List<Component> gmm) {
        double[] w = new double[gmm.size()];
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            w[c] = Math.max(0, gmm.get(c).meanAlp());
            sum += w[c];
        }
        if (!(sum > 0)) {
            return null;
        }
        for (int c = 0; c < w.length; c++) {
            w[c] /= sum;
        }
        return w;
    }

    /** Free parameters of a k-component full-covariance mixture in D dimensions: (k - 1) + k D + k D (D + 1) / 2. */
    public static int freeParameters(int k, int d) {
        return (k - 1) + k * d + k * d * (d + 1) / 2;
    }

    /** AIC = 2 p - 2 ln L; BIC = p ln n - 2 ln L (lower is better). */
    public static double criterion(String which, double logLikelihood, int k, int d, int n) {
        int p = freeParameters(k, d);
        return which.equals("bic") ? p * Math.log(n) - 2 * logLikelihood : 2.0 * p - 2 * logLikelihood;
    }

    /** A fit: its components, the number chosen, and the criterion of each k tried (NaN where EM failed). */
    public record Fit(List<Component> components, double[] criterionByK) {
    }

    /**
     * Fits mixtures of k = 2..{@code maxK} components by EM on {@code data} (rows of D values) and
     * keeps the one of lowest {@code criterion}; a k whose EM fails (a singular covariance) is skipped.
     * Null when none succeeds. {@code criterionByK[k - 2]} is k's criterion.
     */
    public static Fit fit(double[][] data, int maxK, String criterion) {
        int d = data[0].length;
        double[] byK = new double[Math.max(0, maxK - 1)];
        MixtureMultivariateNormalDistribution best = null;
        double bestC = Double.POSITIVE_INFINITY;
        for (int k = 2; k <= maxK; k++) {
            byK[k - 2] = Double.NaN;
            if (data.length < 2 * k) {
                continue;
            }
            try {
                MultivariateNormalMixtureExpectationMaximization em = new MultivariateNormalMixtureExpectationMaximization(data);
                em.fit(MultivariateNormalMixtureExpectationMaximization.estimate(data, k), EM_ITERATIONS, EM_THRESHOLD);
                MixtureMultivariateNormalDistribution m = em.getFittedModel();
                double ll = 0;
                for (double[] row : data) {
                    ll += Math.log(m.density(row));
                }
                double c = criterion(criterion, ll, k, d, data.length);
                byK[k - 2] = c;
                if (Double.isFinite(c) && c < bestC) {
                    bestC = c;
                    best = m;
                }
            } catch (MathIllegalArgumentException | MathIllegalStateException e) {
                // a degenerate split or covariance at this k: try the others
            }
        }
        if (best == null) {
            return null;
        }
        List<Component> out = new ArrayList<>();
        for (Pair<Double, MultivariateNormalDistribution> p : best.getComponents()) {
            out.add(new Component(p.getFirst(), p.getSecond().getMeans(), p.getSecond().getCovariances().getData()));
        }
        return new Fit(List.copyOf(out), byK);
    }
}
