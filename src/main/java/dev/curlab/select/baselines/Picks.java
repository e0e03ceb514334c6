package dev.curlab.select.baselines;

import dev.curlab.select.Selection;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;

/** The choice rules the score-based baselines share: top-B, Boltzmann sampling, uniform draws. */
final class Picks {
    private Picks() {
    }

    /** softmax(score / T): p_i = exp(s_i / T) / sum_j exp(s_j / T), computed stably. */
    static double[] boltzmann(double[] score, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : score) {
            max = Math.max(max, s);
        }
        double[] p = new double[score.length];
        double sum = 0;
        for (int i = 0; i < score.length; i++) {
            p[i] = Math.exp((score[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The {@code k} highest scores' indices, best first (ties: the lower index first). */
    static int[] top(double[] score, int k) {
        List<Integer> order = new ArrayList<>(score.length);
        for (int i = 0; i < score.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order.get(i);
        }
        return out;
    }

    /**
     * {@code k} distinct indices drawn one after another from softmax(score / T) over those left. When
     * the weights left have all underflowed to zero (scores more than ~745 T below the ones taken), the
     * softmax is recomputed over the candidates left, shifted to their own maximum.
     */
    static int[] sample(Rng rng, double[] score, double temperature, int k) {
        double[] p = boltzmann(score, temperature);
        int[] out = new int[k];
        for (int n = 0; n < k; n++) {
            if (n > 0 && sum(p) == 0) {
                p = boltzmannOfTheRest(score, temperature, out, n);
            }
            out[n] = rng.nextCategorical(p);
            p[out[n]] = 0;
        }
        return out;
    }

    /** softmax(score / T) over the indices not among the first {@code taken} of {@code out}; zero for those. */
    private static double[] boltzmannOfTheRest(double[] score, double temperature, int[] out, int taken) {
        double[] rest = score.clone();
        for (int i = 0; i < taken; i++) {
            rest[out[i]] = Double.NEGATIVE_INFINITY;                 // exp(-inf) = 0
        }
        return boltzmann(rest, temperature);
    }

    private static double sum(double[] p) {
        double s = 0;
        for (double x : p) {
            s += x;
        }
        return s;
    }

    /** Top-k when {@code temperature} is 0, otherwise Boltzmann sampling without replacement. */
    static int[] choose(Rng rng, double[] score, double temperature, int k) {
        return temperature == 0 ? top(score, k) : sample(rng, score, temperature, k);
    }

    /** One uniformly drawn element of a non-empty list. */
    static int uniform(Rng rng, List<Integer> among) {
        return among.get(rng.nextInt(among.size()));
    }

    /** The selection that trains on {@code picks} with equal weights. */
    static Selection selection(int[] picks) {
        return picks.length == 1 ? Selection.single(picks[0]) : Selection.batch(picks);
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
