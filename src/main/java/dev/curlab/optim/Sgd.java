package dev.curlab.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Plain SGD: theta <- theta - lr * grad (the paper's SGDSTEP). */
public final class Sgd implements Optimizer {
    private long steps;

    @Override
    public void step(Map<String, NDArray> parameters, double lr) {
        for (NDArray p : parameters.values()) {
            try (NDArray g = p.getGradient(); NDArray step = g.mul((float) lr)) {
                p.subi(step);
            }
        }
        steps++;
    }

    @Override
    public Map<String, NDArray> state() {
        return Map.of();
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return "sgd";
    }
}
