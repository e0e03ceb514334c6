package dev.curlab.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collection;

/**
 * Gradient bookkeeping for parameters filled by a backward pass: zeroing (gradients accumulate
 * across backward calls until zeroed) and global-norm clipping (if ||g|| > G, scale every gradient by
 * G / ||g||).
 */
public final class Gradients {
    private static final NDIndex ALL = new NDIndex("...");

    private Gradients() {
    }

    /** Sets every gradient to exactly zero (a fill, so NaN gradients are cleared too). */
    public static void zero(Collection<NDArray> parameters) {
        for (NDArray p : parameters) {
            NDArray g = p.getGradient();
            // The fill's scalar is created in g's manager: give g a short-lived one so nothing stays behind.
            try (NDManager tmp = g.getManager().newSubManager()) {
                g.attach(tmp);
                g.set(ALL, 0f);
            }
        }
    }

    /**
     * Sets every gradient to exactly zero, with the gradient handles moved into one temporary
     * sub-manager of {@code owner} (a fill with a Java number leaves a scalar tensor in the manager of
     * the array it writes to; {@link #zero} would leave one gradient handle per parameter in a manager
     * that lives as long as the parameters, every step). For small networks that own their manager.
     */
    public static void zeroIn(NDManager owner, Collection<NDArray> parameters) {
        try (NDManager tmp = owner.newSubManager()) {
            for (NDArray p : parameters) {
                NDArray g = p.getGradient();
                g.attach(tmp);
                g.set(ALL, 0f);
            }
        }
    }

    /** Global L2 norm of the gradients of {@code parameters}. */
    public static double globalNorm(Collection<NDArray> parameters) {
        double sumSq = 0;
        for (NDArray p : parameters) {
            try (NDArray g = p.getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
                sumSq += s.getFloat();
            }
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Clips in place to global norm {@code maxNorm} (no clipping when {@code maxNorm <= 0}).
     *
     * @return the norm before clipping
     */
    public static double clip(Collection<NDArray> parameters, double maxNorm) {
        return clip(parameters, maxNorm, globalNorm(parameters));
    }

    /** The same with the global norm already measured (saves a second pass over every gradient). */
    public static double clip(Collection<NDArray> parameters, double maxNorm, double norm) {
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray p : parameters) {
                try (NDArray g = p.getGradient()) {
                    g.muli(scale);
                }
            }
        }
        return norm;
    }
}
