package dev.curlab.select.softq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.curlab.util.Rng;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Q(h) = W_2 relu(W_1 h + b_1) + b_2 (eq. 2), a two-layer MLP d -> width -> 1 on detached hidden
 * states. Weights are stored (in, out) and applied as {@code h W}, like the LM's Conv1D. Parameters
 * live in the network's own manager.
 *
 * <p>Dimension letters: P rows (candidates or pending transitions), d hidden width of the LM, W width.
 */
final class QNetwork implements AutoCloseable {
    static final String[] NAMES = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
    private final NDManager manager;
    private final Map<String, NDArray> parameters;

    /**
     * PyTorch's nn.Linear init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, drawn from
     * {@code rng}; the output layer is multiplied by {@code outScale}.
     */
    QNetwork(NDManager parent, int d, int width, Rng rng, double outScale, boolean trainable) {
        this.manager = parent.newSubManager();
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("fc1.weight", uniform(rng, new Shape(d, width), d, 1));
        p.put("fc1.bias", uniform(rng, new Shape(width), d, 1));
        p.put("fc2.weight", uniform(rng, new Shape(width, 1), width, outScale));
        p.put("fc2.bias", uniform(rng, new Shape(1), width, outScale));
        if (trainable) {
            p.values().forEach(a -> a.setRequiresGradient(true));
        }
        this.parameters = Collections.unmodifiableMap(p);
    }

    private NDArray uniform(Rng rng, Shape shape, int fanIn, double scale) {
        float[] v = new float[(int) shape.size()];
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * bound * (2 * rng.nextDouble() - 1));
        }
        return manager.create(v, shape);
    }

    /** Q-values (P) of hidden states h (P, d); every temporary lands in h's manager. */
    NDArray forward(NDArray h) {
        NDArray a = Activation.relu(h.matMul(parameters.get("fc1.weight")).add(parameters.get("fc1.bias"))); // (P, W)
        return a.matMul(parameters.get("fc2.weight")).add(parameters.get("fc2.bias")).squeeze(-1);          // (P)
    }

    /**
     * Sets every gradient to exactly zero. (A fill with a Java number leaves a scalar tensor in the
     * manager of the array it writes to, so the gradient handles are moved into a temporary manager
     * first; {@code optim.Gradients.zero} would leave one array per parameter in ours every step.)
     */
    void zeroGradients() {
        dev.curlab.optim.Gradients.zeroIn(manager, parameters.values());
    }

    /** Parameters by name, in a fixed order. */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    /** this <- tau * online + (1 - tau) * this, in place (eq. 5); call outside a gradient collector. */
    void polyakFrom(QNetwork online, double tau) {
        for (String name : NAMES) {
            NDArray bar = parameters.get(name);
            try (NDArray scaled = online.parameters.get(name).mul((float) tau)) {
                bar.muli((float) (1 - tau)).addi(scaled);
            }
        }
    }

    /** this <- other, exactly. */
    void copyFrom(QNetwork other) {
        for (String name : NAMES) {
            dev.curlab.model.Assign.from(parameters.get(name), other.parameters.get(name));
        }
    }

    /** Parameter values by name (a snapshot, for tests and checks). */
    Map<String, float[]> snapshot() {
        Map<String, float[]> s = new LinkedHashMap<>();
        parameters.forEach((k, v) -> s.put(k, v.toFloatArray()));
        return s;
    }

    @Override
    public void close() {
        manager.close();
    }
}
