package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.curlab.util.Rng;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code curator}'s scorer: s(x) = tanh(x W_1 + b_1) w_2, a two-layer MLP F -> H -> 1 over a
 * candidate's features (no output bias: a softmax over candidates ignores it). W_1 is drawn
 * N(0, 1/F); w_2 starts at zero, so the first distribution is uniform. Parameters live in the
 * scorer's own manager; the loss is {@link #mirrorDescentLoss}.
 *
 * <p>Dimension letters: N candidates, F features, H hidden width.
 */
final class CuratorScorer implements AutoCloseable {
    static final String[] NAMES = {"fc1.weight", "fc1.bias", "fc2.weight"};
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final int features;
    private final int width;

    CuratorScorer(int features, int width, Rng rng) {
        this.manager = NDManager.newBaseManager();
        this.features = features;
        this.width = width;
        float[] w1 = new float[features * width];
        double sd = 1 / Math.sqrt(features);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (sd * rng.nextGaussian());
        }
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("fc1.weight", manager.create(w1, new Shape(features, width)));
        p.put("fc1.bias", manager.zeros(new Shape(width)));
        p.put("fc2.weight", manager.zeros(new Shape(width, 1)));
        p.values().forEach(a -> a.setRequiresGradient(true));
        this.parameters = Collections.unmodifiableMap(p);
    }

    /** Logits (N) of features x (N, F); temporaries land in x's manager. */
    NDArray forward(NDArray x) {
        NDArray h = Activation.tanh(x.matMul(parameters.get("fc1.weight")).add(parameters.get("fc1.bias"))); // (N, H)
        return h.matMul(parameters.get("fc2.weight")).squeeze(-1);                                           // (N)
    }

    /**
     * The mirror-descent bandit loss of one step (the form whose exact minimiser over the simplex is
     * the exponentiated-gradient update pi_new ∝ pi_old exp(eta r^)):
     * L = - sum_j pi(j) r^_j + (1/eta) sum_j pi(j) (log pi(j) - log pi_old(j)), pi = softmax(logits).
     * Its gradient in the logits at pi = pi_old is -pi_k (r^_k - sum_j pi_j r^_j). All inputs are
     * tensors kept alive until after backward (DJL-NOTES: no Java numbers where gradients flow).
     */
    static NDArray mirrorDescentLoss(NDArray logits, NDArray logPiOld, NDArray rHat, NDArray invEta) {
        NDArray logPi = logits.logSoftmax(0);                         // (N)
        NDArray pi = logPi.exp();                                    // (N)
        NDArray gain = pi.mul(rHat).sum();                           // ()
        NDArray kl = pi.mul(logPi.sub(logPiOld)).sum();              // ()
        return kl.mul(invEta).sub(gain);
    }

    /** FLOPs of one forward pass over one candidate: 2 (F H + H) multiply-adds and the tanh. */
    double forwardFlops() {
        return 2.0 * ((double) features * width + width) + width;
    }

    int features() {
        return features;
    }

    Map<String, NDArray> parameters() {
        return parameters;
    }

    NDManager manager() {
        return manager;
    }

    /** Sets every gradient to exactly zero, leaving no scalar behind (see QNetwork.zeroGradients). */
    void zeroGradients() {
        dev.curlab.optim.Gradients.zeroIn(manager, parameters.values());
    }

    @Override
    public void close() {
        manager.close();
    }
}
