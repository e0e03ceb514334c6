package dev.curlab.select;

import java.util.Arrays;

/**
 * What to train on this step: candidate indices with loss weights that sum to one (the LM loss is
 * sum_i w_i * l(theta, x_i)), and which candidates count as the step's picks for logging (the sampled
 * action(s); in soft-mixture mode every candidate is trained on but one action is still picked).
 *
 * @param train   candidate indices the LM update uses
 * @param weights loss weight per entry of {@code train}, non-negative, summing to one
 * @param picked  the sampled action(s) a_k
 */
public record Selection(int[] train, float[] weights, int[] picked) {

    public Selection {
        if (train.length == 0 || train.length != weights.length) {
            throw new IllegalArgumentException("selection needs one weight per trained candidate");
        }
        double sum = 0;
        for (float w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("negative or NaN selection weight: " + Arrays.toString(weights));
            }
            sum += w;
        }
        if (Math.abs(sum - 1) > 1e-4) {
            throw new IllegalArgumentException("selection weights must sum to 1, got " + sum);
        }
    }

    /** Train on candidate {@code i} alone (the paper's base algorithm). */
    public static Selection single(int i) {
        return new Selection(new int[] {i}, new float[] {1f}, new int[] {i});
    }

    /** Train on the given candidates as one mini-batch with equal weights. */
    public static Selection batch(int[] indices) {
        float[] w = new float[indices.length];
        Arrays.fill(w, 1f / indices.length);
        return new Selection(indices.clone(), w, indices.clone());
    }

    /** Number of examples the LM update trains on. */
    public int examples() {
        return train.length;
    }
}
