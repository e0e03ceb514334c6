package dev.curlab.select.softq;

/**
 * What the Q-network reads about each candidate: its detached hidden state h_x (the paper), and
 * optionally its loss and one more signal (mean predictive entropy, head alignment or reducible loss), each z-scored over the
 * N candidates of the step so that the feature says "harder / more uncertain than the others" on the
 * same scale at every point of training.
 */
final class CandidateFeatures {
    private CandidateFeatures() {
    }

    /**
     * The (N, F) rows, F = {@link SoftQConfig#inputDim}(d): [h_x], [h_x, z(loss_x)], [h_x, z(loss_x), loss_x],
     * or [h_x, z(loss_x), z(s_x)] with s the second signal the feature set names (entropy, head
     * alignment or reducible loss), passed as {@code second}.
     */
    static float[] build(String kind, float[] hidden, float[] loss, float[] second, int n, int d) {
        if (kind.equals("hidden")) {
            return hidden;
        }
        boolean withRaw = kind.equals("hidden+loss+raw");
        boolean withSecond = !withRaw && !kind.equals("hidden+loss");
        if (withSecond && second == null) {
            throw new IllegalStateException("--q-features " + kind + " needs a signal the scoring pass did not compute");
        }
        int f = d + (withSecond || withRaw ? 2 : 1);
        float[] zl = zScore(loss);
        float[] zs = withSecond ? zScore(second) : null;
        float[] out = new float[n * f];
        for (int i = 0; i < n; i++) {
            System.arraycopy(hidden, i * d, out, i * f, d);
            out[i * f + d] = zl[i];
            if (withSecond) {
                out[i * f + d + 1] = zs[i];
            } else if (withRaw) {
                out[i * f + d + 1] = loss[i];
            }
        }
        return out;
    }

    /** (x - mean) / std over the array (population std); all zeros when the std is 0. */
    static float[] zScore(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / x.length);
        float[] z = new float[x.length];
        if (std > 1e-8) {
            for (int i = 0; i < x.length; i++) {
                z[i] = (float) ((x[i] - mean) / std);
            }
        }
        return z;
    }
}
