package dev.curlab.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction, and decoupled weight decay
 * theta <- theta - lr * wd * theta applied to matrices only (not to biases or LayerNorm gains).
 * Moment tensors live in the optimizer's own manager.
 */
public final class AdamW implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long steps;

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, NDArray> parameters, double lr) {
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2 = (float) (1 - Math.pow(beta2, steps));
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            NDArray mi = m.computeIfAbsent("m." + e.getKey(), k -> manager.zeros(p.getShape()));
            NDArray vi = v.computeIfAbsent("v." + e.getKey(), k -> manager.zeros(p.getShape()));
            try (NDManager tmp = manager.newSubManager()) {
                g.attach(tmp);
                mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));          // m = b1 m + (1-b1) g
                vi.muli((float) beta2).addi(g.square().muli((float) (1 - beta2))); // v = b2 v + (1-b2) g^2
                NDArray mHat = mi.div(c1);
                NDArray vHat = vi.div(c2);
                mHat.attach(tmp);
                vHat.attach(tmp);
                NDArray denom = vHat.sqrt().addi((float) eps);
                NDArray update = mHat.divi(denom);       // m^ / (sqrt(v^) + eps)
                if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                    p.muli((float) (1 - lr * weightDecay));                        // decoupled decay
                }
                p.subi(update.muli((float) lr));
            }
        }
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>(m);
        s.putAll(v);
        return s;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        this.steps = steps;
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            Map<String, NDArray> target = e.getKey().startsWith("m.") ? m : v;
            NDArray a = target.get(e.getKey());
            if (a == null) {
                throw new IllegalStateException("optimizer state '" + e.getKey() + "' has no parameter");
            }
            dev.curlab.model.Assign.values(a, e.getValue());
        }
    }

    /** Creates zero moments for every parameter (so {@link #restore} has somewhere to write). */
    public void prepare(Map<String, NDArray> parameters) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            m.computeIfAbsent("m." + e.getKey(), k -> manager.zeros(e.getValue().getShape()));
            v.computeIfAbsent("v." + e.getKey(), k -> manager.zeros(e.getValue().getShape()));
        }
    }

    @Override
    public String name() {
        return "adamw";
    }
}
