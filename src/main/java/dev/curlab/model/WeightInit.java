package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import dev.curlab.util.Rng;

/**
 * GPT-2 initialisation drawn from one seeded Java generator, so a seed fixes the model exactly,
 * independent of the engine: normal(0, 0.02) weights, normal(0, 0.02/sqrt(2*layers)) for the
 * residual projections, zero biases, unit LayerNorm gains.
 */
final class WeightInit {
    static final double STD = 0.02;
    private final Rng rng;
    private final double residualStd;

    WeightInit(long seed, int layers) {
        this.rng = Rng.derive(seed, "model-init");
        this.residualStd = STD / Math.sqrt(2.0 * layers);
    }

    Initializer normal() {
        return gaussian(STD);
    }

    Initializer residual() {
        return gaussian(residualStd);
    }

    Initializer zeros() {
        return (NDManager m, Shape s, DataType t) -> m.zeros(s, t);
    }

    Initializer ones() {
        return (NDManager m, Shape s, DataType t) -> m.ones(s, t);
    }

    private Initializer gaussian(double std) {
        return (NDManager m, Shape s, DataType t) -> {
            float[] v = new float[Math.toIntExact(s.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextGaussian() * std);
            }
            NDArray a = m.create(v, s);
            return a;
        };
    }
}
